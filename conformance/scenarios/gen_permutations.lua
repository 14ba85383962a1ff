-- A recursive permutation generator yields every ordering of four items exactly once.
local function permgen(a, n)
  if n <= 1 then
    coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a, #a) end)
end
local count = 0
for p in permutations({"a", "b", "c", "d"}) do
  count = count + 1
  print(count, table.concat(p))
end
