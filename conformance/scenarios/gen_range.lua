-- A range generator built with coroutine.wrap drives a generic for loop.
local function range(a, b, step)
  return coroutine.wrap(function()
    for i = a, b, step or 1 do coroutine.yield(i) end
  end)
end
local out = {}
for i in range(1, 10, 3) do out[#out + 1] = i end
print(table.concat(out, " "))
for i in range(3, 1, -1) do print(i) end
