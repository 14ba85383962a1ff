-- Mutually recursive functions yield from alternating frames inside one coroutine.
local is_even, is_odd
function is_even(n)
  if n == 0 then return true end
  if n % 10 == 0 then coroutine.yield("even check at " .. n) end
  return is_odd(n - 1)
end
function is_odd(n)
  if n == 0 then return false end
  if n % 10 == 5 then coroutine.yield("odd check at " .. n) end
  return is_even(n - 1)
end
for v in coroutine.wrap(function() coroutine.yield(is_even(36)) end) do print(v) end
