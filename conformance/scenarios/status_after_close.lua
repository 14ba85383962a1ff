-- coroutine.close makes a suspended coroutine "dead".
local co = coroutine.create(function() coroutine.yield(1) coroutine.yield(2) end)
coroutine.resume(co)
print(coroutine.status(co))
print(coroutine.close(co))
print(coroutine.status(co))
