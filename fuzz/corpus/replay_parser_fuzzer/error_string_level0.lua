-- error("msg", 0) inside a coroutine adds no position.
local co = coroutine.create(function() error("no position", 0) end)
print(coroutine.resume(co))
