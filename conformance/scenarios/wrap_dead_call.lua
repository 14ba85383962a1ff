-- Calling a wrap function after its coroutine finished raises "cannot resume dead coroutine" with a position prefix.
local f = coroutine.wrap(function() return "only once" end)
print(f())
print(pcall(f))
print(pcall(function() return f() end))
