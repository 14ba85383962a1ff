-- The rest of Lua's math library inside coroutines: trigonometry, exp/log with bases, modf, deg/rad, a seeded math.random sequence and the argument errors.
local function show(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[i] = math.type(v) == "float" and string.format("%.14g", v) or tostring(v)
  end
  return table.concat(out, " ")
end

local calc = coroutine.wrap(function(x)
  while true do
    x = coroutine.yield(show(math.sin(x), math.cos(x), math.tan(x), math.exp(x), math.atan(x),
      math.atan(x, -1), math.deg(x), math.rad(x)))
  end
end)
print(calc(0.5))
print(calc(-2))
print(calc(0))

print(show(math.asin(1), math.acos(-1), math.asin(2) ~= math.asin(2)))
print(show(math.log(1024, 2), math.log(1000, 10), math.log(81, 3), math.log(1), math.log(0)))
print(show(math.modf(3.75)))
print(show(math.modf(-3.75)))
print(show(math.modf(7)))
print(show(math.modf(1 / 0)))
print(show(math.modf(-1 / 0)))
print(show(math.modf(2 ^ 63)))
print(show(math.modf("2.5")))

-- a seeded generator gives lua5.4's sequence, also when drawn from a coroutine between yields
print(math.randomseed(2026))
local draws = coroutine.wrap(function()
  for _ = 1, 3 do
    coroutine.yield(math.random(6), math.random(-3, 3), math.random(0) ~= nil)
  end
  return math.random(100, 100), math.random(math.mininteger, math.maxinteger)
end)
for _ = 1, 4 do print(draws()) end
print(math.randomseed(5, 11))
local f = math.random()
print(f >= 0 and f < 1, math.type(f), math.random(3))
math.randomseed(5, 11)
print(math.random() == f)

for _, case in ipairs{{"sin"}, {"cos", {}}, {"log", 8, "x"}, {"random", 1, 2, 3}, {"random", 4, 1},
  {"random", 1.5}, {"randomseed", 0.5}, {"modf", nil}, {"atan", 1, {}}, {"exp", "3"}} do
  local c = coroutine.create(function(name, ...) return math[name](...) end)
  print(case[1], coroutine.resume(c, table.unpack(case)))
  print(coroutine.status(c))
end
print(pcall(math.random, 1, 2, 3, 4))
print(select("#", math.random(1, 1)), select("#", math.randomseed(3)))
