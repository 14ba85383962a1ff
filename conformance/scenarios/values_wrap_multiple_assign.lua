-- Multiple assignment from a wrap call adjusts the value list: extra values dropped, missing ones nil.
local f = coroutine.wrap(function()
  coroutine.yield(1, 2, 3)
  coroutine.yield(4)
  coroutine.yield(5, 6)
end)
local a, b = f()
print(a, b)
local c, d, e = f()
print(c, d, e)
local t = {f(), "last"}
print(#t, t[1], t[2])
