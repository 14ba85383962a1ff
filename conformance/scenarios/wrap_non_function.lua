-- coroutine.wrap and coroutine.create require a function argument.
print(pcall(coroutine.wrap, 1))
print(pcall(coroutine.wrap))
print(pcall(coroutine.create, "f"))
print(pcall(function() coroutine.create({}) end))
