-- coroutine.wrap returns a function that resumes the coroutine and returns its yielded or returned values directly.
local f = coroutine.wrap(function(a, b)
  local c = coroutine.yield(a + b, a - b)
  return c, "end"
end)
print(type(f))
print(f(5, 3))
print(f("resumed"))
