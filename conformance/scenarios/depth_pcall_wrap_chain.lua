-- When every level calls the next through pcall of a wrap function, each level costs two C levels: only 99 levels run.
local deepest, failure = 0
local function level(n)
  deepest = n
  local ok, v = pcall(coroutine.wrap(level), n + 1)
  if not ok and failure == nil then failure = n .. ": " .. v end
  return "ok"
end
print(coroutine.wrap(level)(1))
print(deepest, failure)
