-- A chain of nested wrap calls started through pcall reaches 196 levels; the overflow error collects one position prefix per wrap level.
local deepest = 0
local function level(n)
  deepest = n
  return coroutine.wrap(level)(n + 1)
end
local ok, e = pcall(coroutine.wrap(level), 1)
print(ok, deepest, #e)
print(e)
