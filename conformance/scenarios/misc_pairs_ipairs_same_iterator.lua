-- pairs and ipairs return the same iterator function every time, also from inside coroutines: ipairs's is one function, pairs's is the original next even after the global next is replaced.
local original_next = next
local first = ipairs({})
local co = coroutine.wrap(function(...)
  local t = ...
  while true do
    t = coroutine.yield(ipairs(t), (pairs(t)))
  end
end)
local i1, p1 = co({1, 2})
local i2, p2 = co({})
print(i1 == i2, i1 == first, p1 == p2, p1 == next, i1 ~= p1, type(i1))
next = function() error("replaced next called") end
local n = 0
for k, v in pairs({10, 20, x = 30}) do n = n + 1 end
print(n, (pairs({})) == original_next, (pairs({})) ~= next)
next = original_next
print(first({5, 6}, 0))
print(first({5, 6}, 2))
print(pcall(first))
print(pcall(first, nil, 0))
local seen = {}
for i, v in ipairs(setmetatable({}, {__index = function(_, k) if k < 4 then return k * k end end})) do
  seen[#seen + 1] = i .. "=" .. v
end
print(table.concat(seen, " "))
local withmeta = setmetatable({}, {__pairs = function(t) return ipairs({7, 8}) end})
local it = pairs(withmeta)
print(it == first, it({7, 8}, 1))
