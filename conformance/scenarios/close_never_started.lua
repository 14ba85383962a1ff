-- coroutine.close on a never-started coroutine returns true and makes it dead without running the body.
local co = coroutine.create(function() print("body must not run") end)
print(coroutine.close(co))
print(coroutine.status(co))
print(coroutine.resume(co))
