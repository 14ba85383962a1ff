-- A number error through wrap stays a number: no position prefix is added.
local f = coroutine.wrap(function() error(42) end)
local ok, e = pcall(function() f() end)
print(ok, e, type(e), e + 1)
local g = coroutine.wrap(function() error(2.5) end)
local ok2, e2 = pcall(function() g() end)
print(ok2, e2, type(e2), e2 * 2)
