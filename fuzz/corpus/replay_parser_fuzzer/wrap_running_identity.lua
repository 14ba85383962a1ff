-- Inside a wrap function coroutine.running returns a thread that is not the main thread.
local main = coroutine.running()
local th, ismain
local f = coroutine.wrap(function()
  th, ismain = coroutine.running()
end)
f()
print(type(th), ismain, th == main, th ~= nil)
