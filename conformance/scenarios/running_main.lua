-- coroutine.running in the main chunk returns the main thread and true.
local th, ismain = coroutine.running()
print(type(th), ismain)
print(select('#', coroutine.running()))
local th2 = coroutine.running()
print(th == th2)
