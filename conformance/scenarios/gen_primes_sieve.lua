-- A chain of filter coroutines forms a prime sieve; each new prime adds a filter stage.
local function counter(from)
  return coroutine.wrap(function()
    local n = from
    while true do coroutine.yield(n) n = n + 1 end
  end)
end
local function without_multiples(p, gen)
  return coroutine.wrap(function()
    while true do
      local v = gen()
      if v % p ~= 0 then coroutine.yield(v) end
    end
  end)
end
local gen = counter(2)
local primes = {}
for _ = 1, 20 do
  local p = gen()
  primes[#primes + 1] = p
  gen = without_multiples(p, gen)
end
print(table.concat(primes, " "))
