-- Plain Lua calls and recursion do not use the C-call budget: the chain still reaches 197 levels from 100 frames deep.
local function chain()
  local deepest = 0
  local function level(n)
    deepest = n
    coroutine.resume(coroutine.create(level), n + 1)
  end
  coroutine.resume(coroutine.create(level), 1)
  return deepest
end
local function rec(n) if n == 0 then return chain() end local r = rec(n - 1) return r end
print(rec(100))
