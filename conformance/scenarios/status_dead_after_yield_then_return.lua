-- A coroutine that yields values and then returns values is dead only after the final resume.
local co = coroutine.create(function(a)
  local b = coroutine.yield(a + 1)
  return a + b
end)
print(coroutine.resume(co, 1), coroutine.status(co))
print(coroutine.resume(co, 5), coroutine.status(co))
