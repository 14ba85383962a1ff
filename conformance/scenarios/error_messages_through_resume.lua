-- Runtime error messages raised inside coroutines and returned by resume carry Lua's names and lines: __name in type errors, "metamethod 'add'" for a metamethod that is not callable, the line where a comparison's right operand or a concatenation chain ends, the generic for's iterator line, the line of a <close> value's check, and the variable behind a constant `and`/`or` operand.
local function run(f)
  local co = coroutine.create(f)
  print(coroutine.resume(co))
end
local named = setmetatable({}, {__name = "Widget"})
run(function() return named + 1 end)
run(function() return named < 1 end)
run(function() return named < setmetatable({}, {__name = "Widget"}) end)
run(function() return #named .. "" end)
run(function() for i = named, 2 do end end)
local bad = setmetatable({}, {__add = 5, __concat = true, __unm = "x"})
run(function() return bad + 1 end)
run(function() return bad .. "s" end)
run(function() return -bad end)
run(function()
  local missing
  return 1 <
    missing
end)
run(function()
  local missing
  return "a" .. missing .. "b"
    .. "c"
end)
run(function()
  for k in
    42 do end
end)
run(function()
  local c <close> =
    42
end)
run(function()
  local t = {f = function() end}
  return t:f()()
end)
run(function() return (nil or missing_global).field end)
run(function() return (true and named)() end)
