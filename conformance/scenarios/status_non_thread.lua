-- coroutine.status with a non-thread argument raises a bad-argument error.
print(pcall(coroutine.status, 1))
print(pcall(coroutine.status))
print(pcall(function() return coroutine.status({}) end))
