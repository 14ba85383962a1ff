-- A body that returns nothing makes resume return just true (one value).
local co = coroutine.create(function() end)
print(select('#', coroutine.resume(co)))
local co2 = coroutine.create(function() coroutine.yield() end)
print(select('#', coroutine.resume(co2)))
print(select('#', coroutine.resume(co2)))
