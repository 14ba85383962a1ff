-- Values flow back up through a 150-level resume chain; every level adds its number to the sum.
local function level(n)
  if n == 150 then return n, 1 end
  local ok, sum, count = coroutine.resume(coroutine.create(level), n + 1)
  return sum + n, count + 1
end
print(coroutine.resume(coroutine.create(level), 1))
