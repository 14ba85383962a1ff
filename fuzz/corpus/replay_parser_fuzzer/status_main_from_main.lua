-- The main thread, asked from the main chunk, is "running".
local main = coroutine.running()
print(coroutine.status(main))
