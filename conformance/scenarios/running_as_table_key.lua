-- Thread objects returned by coroutine.running work as table keys identifying each coroutine.
local names = {}
local function task(name)
  return coroutine.create(function()
    names[coroutine.running()] = name
    coroutine.yield()
    print("I am", names[coroutine.running()])
  end)
end
local t1, t2 = task("first"), task("second")
coroutine.resume(t1); coroutine.resume(t2)
coroutine.resume(t2); coroutine.resume(t1)
print(names[t1], names[t2], names[coroutine.running()])
