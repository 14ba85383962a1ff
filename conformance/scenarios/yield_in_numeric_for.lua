-- Yielding inside a numeric for loop body keeps the loop variable and bounds.
local co = coroutine.create(function(from, to, step)
  for i = from, to, step do
    local got = coroutine.yield(i)
    print("loop", i, "got", got)
  end
  return "loop over"
end)
local ok, v = coroutine.resume(co, 10, 1, -3)
while coroutine.status(co) == "suspended" do
  print("main sees", ok, v)
  ok, v = coroutine.resume(co, v * 2)
end
print("final", ok, v)
