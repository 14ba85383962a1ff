-- A body returning 500 values makes resume return 501 values.
local co = coroutine.create(function(n)
  local t = {}
  for i = 1, n do t[i] = n - i end
  return table.unpack(t)
end)
local r = table.pack(coroutine.resume(co, 500))
print(r.n, r[1], r[2], r[501])
