-- A scheduler alternates a producer and a consumer sharing a bounded buffer of size 2.
local buffer, cap = {}, 2
local log = {}
local producer = coroutine.create(function()
  for i = 1, 5 do
    while #buffer >= cap do coroutine.yield("full") end
    table.insert(buffer, i)
    log[#log + 1] = "put" .. i
  end
  return "producer done"
end)
local consumer = coroutine.create(function()
  local got = 0
  while got < 5 do
    if #buffer == 0 then coroutine.yield("empty")
    else
      local v = buffer[1]
      for i = 1, #buffer - 1 do buffer[i] = buffer[i + 1] end
      buffer[#buffer] = nil
      got = got + 1
      log[#log + 1] = "get" .. v
      if got % 2 == 0 then coroutine.yield("rest") end
    end
  end
  return "consumer done"
end)
while coroutine.status(producer) ~= "dead" or coroutine.status(consumer) ~= "dead" do
  if coroutine.status(producer) ~= "dead" then print("P", coroutine.resume(producer)) end
  if coroutine.status(consumer) ~= "dead" then print("C", coroutine.resume(consumer)) end
end
print(table.concat(log, " "))
