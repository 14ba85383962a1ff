-- select(n, ...) and negative indexes over values delivered by resume and yield.
local co = coroutine.create(function(...)
  print(select(2, ...))
  print(select(-1, ...))
  print(select('#', coroutine.yield(select(3, ...))))
end)
print(coroutine.resume(co, "a", "b", "c", "d", "e"))
print(coroutine.resume(co, 1, 2))
