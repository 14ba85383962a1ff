-- Closing the main thread from the main chunk fails: it is running.
local main = coroutine.running()
print(pcall(coroutine.close, main))
