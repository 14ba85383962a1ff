-- error levels 1 and 2 inside pcall inside a coroutine point at the right lines.
local function thrower(level) error("lvl" .. level, level) end
local co = coroutine.wrap(function()
  print(pcall(thrower, 1))
  print(pcall(thrower, 2))
  print(pcall(function() thrower(2) end))
  print(pcall(function() thrower(1) end))
end)
co()
