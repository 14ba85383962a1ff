-- Arguments of later resumes become the results of the pending coroutine.yield.
local co = coroutine.create(function(first)
  print("start", first)
  local x, y = coroutine.yield("y1")
  print("after first yield", x, y)
  local z = coroutine.yield("y2")
  print("after second yield", z)
  return "end"
end)
print(coroutine.resume(co, "s"))
print(coroutine.resume(co, "x", "y"))
print(coroutine.resume(co, "z", "ignored"))
