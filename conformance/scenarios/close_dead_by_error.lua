-- coroutine.close on a coroutine that died by error returns false and the error; a second close returns true.
local co = coroutine.create(function() error("it broke") end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.close(co))
print(coroutine.status(co))
