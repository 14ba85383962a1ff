-- Resuming in a loop until the coroutine is dead counts every yield plus the final return.
local co = coroutine.create(function(n)
  for i = 1, n do coroutine.yield(i * i) end
  return "finished"
end)
local count = 0
local args = {5}
while coroutine.status(co) ~= "dead" do
  local ok, v = coroutine.resume(co, table.unpack(args))
  count = count + 1
  print(count, ok, v)
  args = {}
end
