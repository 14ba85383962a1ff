-- A yield at recursion depth 150 inside a coroutine suspends all 150 frames and resumes them intact.
local function rec(n, acc)
  if n == 150 then
    local v = coroutine.yield(n, acc)
    return v + n
  end
  local r = rec(n + 1, acc + n)
  return r + 1
end
local co = coroutine.create(function() return rec(1, 0) end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co, 1000))
print(coroutine.status(co))
