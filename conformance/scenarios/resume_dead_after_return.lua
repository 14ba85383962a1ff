-- Resuming a coroutine that has returned fails with "cannot resume dead coroutine".
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co, "extra", "args"))
print(coroutine.status(co))
