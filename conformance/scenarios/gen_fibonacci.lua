-- An infinite Fibonacci generator is consumed until a bound, leaving the coroutine suspended.
local fib = coroutine.create(function()
  local a, b = 0, 1
  while true do
    coroutine.yield(a)
    a, b = b, a + b
  end
end)
local got = {}
while true do
  local _, v = coroutine.resume(fib)
  if v > 200 then break end
  got[#got + 1] = v
end
print(table.concat(got, ","))
print(coroutine.status(fib))
