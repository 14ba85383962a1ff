-- error with level 2 inside a wrapped coroutine points at the caller inside the coroutine, then wrap adds its prefix.
local function check(x)
  if not x then error("check failed", 2) end
end
local f = coroutine.wrap(function()
  check(true)
  check(false)
end)
print(pcall(function() f() end))
