-- __len receives the operand twice, as every metamethod event gets two operands, also from # inside a coroutine, from table functions and from a yield-free __len.
local got
local mt = {__len = function(...) got = table.pack(...) return 3 end}
local obj = setmetatable({}, mt)
local co = coroutine.wrap(function()
  local n = #obj
  coroutine.yield(n, got.n, got[1] == obj, got[2] == obj)
  return #obj + 1, got.n
end)
print(co())
print(co())
print(#obj, got.n, rawequal(got[1], got[2]))
print(table.concat({}, ",", 1, #obj - 3), got.n)
table.insert(obj, "x")
print(got.n, rawget(obj, 4))
print(select("#", getmetatable(obj).__len(obj)))
local count = setmetatable({}, {__len = function(a, b) return select("#", a, b) end})
print(#count)
print(pcall(function() return #setmetatable({}, {__len = function(a, b) error(b == a and "both" or "one") end}) end))
