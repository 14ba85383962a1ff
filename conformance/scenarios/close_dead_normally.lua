-- coroutine.close on a coroutine that returned normally returns true.
local co = coroutine.create(function() return "done" end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.close(co))
print(coroutine.status(co))
