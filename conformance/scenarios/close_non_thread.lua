-- coroutine.close requires a thread argument.
print(pcall(coroutine.close, 1))
print(pcall(coroutine.close))
print(pcall(function() coroutine.close("x") end))
