-- Boolean error values pass through resume unchanged.
local co = coroutine.create(function() error(false) end)
print(coroutine.resume(co))
local co2 = coroutine.create(function() error(true, 2) end)
print(coroutine.resume(co2))
