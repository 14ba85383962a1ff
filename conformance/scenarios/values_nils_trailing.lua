-- Trailing nils are counted: select('#') shows them on both sides of resume and yield.
local co = coroutine.create(function(...)
  print("params", select('#', ...))
  print("yield got", select('#', coroutine.yield(1, nil, nil)))
  return nil, nil, nil, nil
end)
print("first resume", select('#', coroutine.resume(co, nil, nil)))
print("second resume", select('#', coroutine.resume(co, "a", nil, nil, nil, nil)))
