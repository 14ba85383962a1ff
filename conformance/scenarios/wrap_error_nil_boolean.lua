-- nil and boolean errors through wrap arrive unchanged.
local f = coroutine.wrap(function() error(nil) end)
print(pcall(function() f() end))
local g = coroutine.wrap(function() error(false) end)
print(pcall(function() g() end))
local h = coroutine.wrap(function() error(true) end)
print(pcall(function() h() end))
local k = coroutine.wrap(function() error() end)
print(select('#', pcall(function() k() end)))
