-- A wrap function passes nils in the middle and at the end of value lists in both directions.
local f = coroutine.wrap(function(...)
  print("args", select('#', ...), ...)
  local n = select('#', coroutine.yield(nil, 2, nil))
  print("resumed with", n)
  return nil, nil
end)
print(select('#', f(nil, nil, 3, nil)))
print(select('#', f(1, nil, nil)))
