-- Yields from inside 20 nested pcalls (one per recursion level) cross all of them and every pcall returns.
local function nest(n)
  if n == 0 then return coroutine.yield("at the bottom") end
  local ok, v = pcall(nest, n - 1)
  return v .. "<" .. n
end
local co = coroutine.create(nest)
print(coroutine.resume(co, 20))
print(coroutine.resume(co, "back"))
