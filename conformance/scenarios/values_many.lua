-- Ten values flow both ways through resume and yield.
local co = coroutine.create(function(...)
  print("params", select('#', ...), ...)
  print("yield got", coroutine.yield(...))
  return 10, 9, 8, 7, 6, 5, 4, 3, 2, 1
end)
print(coroutine.resume(co, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
print(coroutine.resume(co, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))
