-- 300 values yielded at once arrive as 300 extra resume results.
local co = coroutine.create(function()
  local t = {}
  for i = 1, 300 do t[i] = i * 2 end
  coroutine.yield(table.unpack(t))
end)
local r = table.pack(coroutine.resume(co))
local sum = 0
for i = 2, r.n do sum = sum + r[i] end
print(r.n, r[1], r[2], r[301], sum)
