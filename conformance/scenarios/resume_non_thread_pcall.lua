-- coroutine.resume with a non-thread argument raises a "bad argument" error.
print(pcall(function() coroutine.resume(42) end))
print(pcall(function() coroutine.resume("co") end))
print(pcall(function() coroutine.resume() end))
print(pcall(function() coroutine.resume(nil) end))
print(pcall(function() coroutine.resume(coroutine.wrap(print)) end))
