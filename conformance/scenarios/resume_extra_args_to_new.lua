-- Extra resume arguments beyond the body's parameters are dropped; missing ones are nil.
local co = coroutine.create(function(a, b) print(a, b) return "ok" end)
print(coroutine.resume(co, 1, 2, 3, 4))
local co2 = coroutine.create(function(a, b, c) print(a, b, c) end)
print(coroutine.resume(co2, "only"))
