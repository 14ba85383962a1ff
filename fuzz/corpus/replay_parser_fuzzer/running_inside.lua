-- coroutine.running inside a coroutine returns that coroutine and false.
local co
co = coroutine.create(function()
  local th, ismain = coroutine.running()
  print(th == co, ismain, type(th))
end)
coroutine.resume(co)
