-- A resume chain started from an __index function and from a __close handler each lose one level (196).
local function chain()
  local deepest = 0
  local function level(n)
    deepest = n
    coroutine.resume(coroutine.create(level), n + 1)
  end
  coroutine.resume(coroutine.create(level), 1)
  return deepest
end
local t = setmetatable({}, {__index = function() return chain() end})
print("from __index:", t.anything)
do
  local c <close> = setmetatable({}, {__close = function() print("from __close:", chain()) end})
end
print("from main:", chain())
