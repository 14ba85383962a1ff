-- nil values in the middle of value lists are preserved in both directions.
local co = coroutine.create(function(a, b, c)
  print("params", a, b, c)
  local x, y, z = coroutine.yield(nil, "mid", nil, "end")
  print("yield got", x, y, z)
  return 1, nil, 3
end)
print(coroutine.resume(co, 1, nil, 3))
print(coroutine.resume(co, nil, 2, 3))
