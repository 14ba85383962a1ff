-- A coroutine can receive its own handle as a resume argument and compare it with coroutine.running.
local co
co = coroutine.create(function(me)
  print(me == co, me == coroutine.running())
  local other = coroutine.yield()
  print(other == co)
end)
coroutine.resume(co, co)
coroutine.resume(co, co)
