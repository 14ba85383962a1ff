-- A coroutine.wrap function serves as a generic-for iterator; iteration stops when it returns nothing.
local function indexed(t)
  return coroutine.wrap(function()
    for i = 1, #t do coroutine.yield(i, t[i]) end
  end)
end
for i, v in indexed({"a", "b", "c", "d"}) do print(i, v) end
print("loop finished")
