-- Consumer-driven pipeline: the consumer resumes the producer each time it needs an item.
local producer = coroutine.create(function()
  for _, item in ipairs({"bread", "milk", "eggs"}) do
    print("producing", item)
    coroutine.yield(item)
  end
  return nil
end)
local function receive()
  local _, v = coroutine.resume(producer)
  return v
end
while true do
  local item = receive()
  if item == nil then break end
  print("consuming", item)
end
print("producer", coroutine.status(producer))
