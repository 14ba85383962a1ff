-- error(nil) and error() in a coroutine make resume return false and nil (two values).
local co = coroutine.create(function() error(nil) end)
local r1 = table.pack(coroutine.resume(co))
print(r1.n, r1[1], r1[2])
local co2 = coroutine.create(function() error() end)
local r2 = table.pack(coroutine.resume(co2))
print(r2.n, r2[1], r2[2])
