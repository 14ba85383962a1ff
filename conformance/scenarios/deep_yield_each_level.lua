-- A recursive function yields on the way down and on the way up at each of 100 levels.
local function rec(n)
  coroutine.yield("down " .. n)
  if n < 100 then rec(n + 1) end
  coroutine.yield("up " .. n)
end
local co = coroutine.wrap(function() rec(1) return "end" end)
local first, last, count = nil, nil, 0
while true do
  local v = co()
  count = count + 1
  if count == 1 then first = v end
  if count == 100 or count == 101 or count == 200 then print(count, v) end
  if v == "end" then last = v break end
end
print(first, last, count)
