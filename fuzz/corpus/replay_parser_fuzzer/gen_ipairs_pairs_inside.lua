-- Generators iterating with ipairs and with pairs over an array part yield in index order.
local t = {"p", "q", "r"}
local g1 = coroutine.wrap(function() for i, v in ipairs(t) do coroutine.yield(i, v) end end)
for i, v in g1 do print("ipairs", i, v) end
local g2 = coroutine.wrap(function() for k, v in pairs(t) do coroutine.yield(k, v) end end)
for k, v in g2 do print("pairs", k, v) end
