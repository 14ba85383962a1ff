-- Integers and floats keep their subtype through coroutine switches (1 and 1.0 print differently).
local co = coroutine.wrap(function(a, b)
  local c, d = coroutine.yield(a, b, a + b, a / 1, b // 1, 7 // 2, 7.0 // 2)
  return c, d, c == d
end)
print(co(1, 1.0))
print(co(3, 3.0))
print(co == co)
