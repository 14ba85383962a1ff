-- When pcall calls a wrap function directly, the position prefix that wrap adds is empty.
local f = coroutine.wrap(function() error("direct", 0) end)
print(pcall(f))
local g = coroutine.wrap(function() error("direct1") end)
print(pcall(g))
