-- A coroutine resumed from inside a pcall may yield back out; the pcall is unaffected.
local co = coroutine.create(function(a)
  local b = coroutine.yield(a * 2)
  return a + b
end)
print(pcall(function()
  local ok1, v1 = coroutine.resume(co, 5)
  local ok2, v2 = coroutine.resume(co, 7)
  return v1, v2
end))
