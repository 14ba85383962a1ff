-- pcall of a wrap function versus pcall of a Lua function calling it: only the latter gets a position prefix.
local function mk() return coroutine.wrap(function() error("E", 0) end) end
print(pcall(mk()))
local g = mk()
print(pcall(function() g() end))
local h = mk()
print(pcall(function() local x = h() return x end))
