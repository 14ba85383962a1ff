-- Exactly one value flows each way per switch.
local co = coroutine.create(function(a)
  local b = coroutine.yield(a .. "1")
  local c = coroutine.yield(b .. "2")
  return c .. "3"
end)
print(coroutine.resume(co, "x"))
print(coroutine.resume(co, "y"))
print(coroutine.resume(co, "z"))
