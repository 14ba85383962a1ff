-- coroutine.yield in the main chunk fails with "attempt to yield from outside a coroutine".
print(pcall(coroutine.yield, 1, 2))
print(pcall(function() coroutine.yield() end))
print(pcall(function() return coroutine.yield("x") end))
