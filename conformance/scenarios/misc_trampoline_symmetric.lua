-- Symmetric transfer emulated with a trampoline: coroutines yield the next coroutine to run.
local ping, pong
local log = {}
ping = coroutine.create(function()
  for i = 1, 3 do log[#log + 1] = "ping" .. i coroutine.yield(pong) end
  return nil
end)
pong = coroutine.create(function()
  for i = 1, 3 do log[#log + 1] = "pong" .. i coroutine.yield(ping) end
  return nil
end)
local nxt = ping
while nxt do
  local ok, target = coroutine.resume(nxt)
  nxt = target
end
print(table.concat(log, " "))
print(coroutine.status(ping), coroutine.status(pong))
