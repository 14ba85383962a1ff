-- Thousands of suspended sibling coroutines do not count toward the nesting limit.
local cos = {}
for i = 1, 2000 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
  coroutine.resume(cos[i], i)
end
local sum = 0
for i = 1, 2000 do
  local ok, v = coroutine.resume(cos[i], 1)
  sum = sum + v
end
print(sum, coroutine.status(cos[1]), coroutine.status(cos[2000]))
