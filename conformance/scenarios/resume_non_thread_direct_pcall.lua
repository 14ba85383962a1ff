-- Bad argument errors raised when coroutine.resume is called directly by pcall name the function 'coroutine.resume'.
print(pcall(coroutine.resume, {}))
print(pcall(coroutine.resume, 1.5))
print(pcall(coroutine.resume, true))
