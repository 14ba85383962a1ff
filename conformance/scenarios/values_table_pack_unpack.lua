-- table.pack records the count of resume results including trailing nils; table.unpack with n resends them.
local co = coroutine.create(function(...)
  local p = table.pack(...)
  print("body n", p.n)
  local q = table.pack(coroutine.yield(table.unpack(p, 1, p.n)))
  return q.n
end)
local r = table.pack(coroutine.resume(co, 1, nil, nil))
print("resume n", r.n)
print(coroutine.resume(co, table.unpack({nil, nil, 3, nil}, 1, 4)))
