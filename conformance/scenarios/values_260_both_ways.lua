-- 260 values pass through resume into a yield and 260 different values come back the same way.
local co = coroutine.create(function()
  local got = table.pack(coroutine.yield())
  local out = {}
  for i = 1, got.n do out[i] = got[i] .. "!" end
  return table.unpack(out, 1, got.n)
end)
coroutine.resume(co)
local send = {}
for i = 1, 260 do send[i] = "v" .. i end
local r = table.pack(coroutine.resume(co, table.unpack(send)))
print(r.n, r[1], r[2], r[131], r[261])
print(table.concat(r, ",", 2, 6))
