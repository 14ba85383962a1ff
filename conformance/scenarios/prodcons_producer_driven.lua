-- Producer-driven pipeline: the consumer is a coroutine that receives each item as a resume argument.
local consumer = coroutine.create(function(first)
  local item, total = first, 0
  while item ~= "stop" do
    total = total + item
    print("consumer got", item, "running total", total)
    item = coroutine.yield()
  end
  return total
end)
for _, v in ipairs({5, 10, 20}) do coroutine.resume(consumer, v) end
print("final:", coroutine.resume(consumer, "stop"))
