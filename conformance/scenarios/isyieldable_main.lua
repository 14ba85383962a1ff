-- coroutine.isyieldable is false in the main chunk, also inside pcall and nested functions.
print(coroutine.isyieldable())
print(pcall(coroutine.isyieldable))
local function f() return coroutine.isyieldable() end
print(f())
