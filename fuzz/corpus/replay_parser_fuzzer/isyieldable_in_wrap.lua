-- coroutine.isyieldable is true inside a wrap function's coroutine and false again after it returns.
local f = coroutine.wrap(function() return coroutine.isyieldable() end)
print(f(), coroutine.isyieldable())
