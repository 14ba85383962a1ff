-- A wrap function raises, so pcall around it catches the coroutine's error.
local f = coroutine.wrap(function() coroutine.yield("one") error("wrap raised", 0) end)
print(pcall(f))
print(pcall(f))
print(pcall(f))
