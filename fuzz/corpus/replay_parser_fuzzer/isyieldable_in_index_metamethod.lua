-- coroutine.isyieldable is true inside an __index function called from a coroutine, false from the main chunk.
local t = setmetatable({}, {__index = function(_, k) return k .. ":" .. tostring(coroutine.isyieldable()) end})
print(t.main)
print(coroutine.wrap(function() return t.co end)())
