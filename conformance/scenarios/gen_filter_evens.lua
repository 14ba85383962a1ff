-- A filtering generator wraps another generator and passes through only matching values.
local function numbers(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function filter(pred, gen)
  return coroutine.wrap(function()
    for v in gen do if pred(v) then coroutine.yield(v) end end
  end)
end
local out = {}
for v in filter(function(x) return x % 2 == 0 end, numbers(15)) do out[#out + 1] = v end
print(table.concat(out, " "))
