-- Plain Lua recursion 300 deep inside a coroutine works, and a yield at the bottom keeps all frames.
local function sum(n)
  if n == 0 then return coroutine.yield("bottom") end
  return n + sum(n - 1)
end
local co = coroutine.create(sum)
print(coroutine.resume(co, 300))
print(coroutine.resume(co, 0))
