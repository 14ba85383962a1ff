-- Values that cross a yield come from Lua's exact arithmetic and library rules: float modulo with negative operands, %c of 0 and %u, string.byte ranges, math functions on numeric strings, <= through __lt, chained __call, and compile-time <const> values in error messages.
local gen = coroutine.wrap(function()
  coroutine.yield(-5.5 % -2, -7.0 % -3, 5.5 % -2, -5 % -math.huge, 5 % -math.huge)
  coroutine.yield(#string.format("%c", 0), #string.format("%-3c|", 0), string.format("%u|%-4u|", 6, 7))
  coroutine.yield(select("#", string.byte("hello", 0)), select("#", string.byte("hello", -100)), string.byte("hello", -100, 2))
  coroutine.yield(math.abs("-3"), math.fmod("7", "3"), math.max("10"), math.type(math.max("10")), pcall(math.max, "10", 2))
  local mt = {__lt = function(a, b) return a.n < b.n end}
  local a, b = setmetatable({n = 1}, mt), setmetatable({n = 2}, mt)
  coroutine.yield(a <= b, b <= a)
  local inner = setmetatable({}, {__call = function(...) return select("#", ...) end})
  local outer = setmetatable({}, {__call = inner})
  coroutine.yield(outer(), outer("x"))
  local none <const> = nil
  local name <const> = "name"
  coroutine.yield(pcall(function() return none.field end))
  coroutine.yield(pcall(function() return name() end))
  coroutine.yield(pcall(string.rep, "x", 2^31))
end)
for _ = 1, 9 do print(gen()) end
