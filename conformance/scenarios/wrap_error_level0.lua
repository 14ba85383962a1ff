-- A level-0 string error (no position of its own) still gets the wrap caller's position prepended.
local f = coroutine.wrap(function() error("plain", 0) end)
local ok, e = pcall(function() local r = f() return r end)
print(ok, e)
