-- A pipeline with two filter stages (drop odd numbers, then square) between producer and consumer.
local function source(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function stage(f, input)
  return coroutine.wrap(function()
    for v in input do
      local out = f(v)
      if out ~= nil then coroutine.yield(out) end
    end
  end)
end
local evens = stage(function(v) if v % 2 == 0 then return v end end, source(12))
local squares = stage(function(v) return v * v end, evens)
local got = {}
for v in squares do got[#got + 1] = v end
print(table.concat(got, " "))
