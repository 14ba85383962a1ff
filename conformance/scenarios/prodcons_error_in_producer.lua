-- An error in the producer reaches the consumer as a failed resume; the consumer reports it and stops.
local producer = coroutine.create(function()
  coroutine.yield(1)
  coroutine.yield(2)
  error({code = "E_PRODUCER"})
end)
while true do
  local ok, v = coroutine.resume(producer)
  if not ok then print("producer failed with", type(v), v.code) break end
  if v == nil then break end
  print("item", v)
end
print(coroutine.status(producer))
