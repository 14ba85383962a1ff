-- A single nil is still one value: resume(co, nil) and yield(nil) each pass exactly one.
local co = coroutine.create(function(...)
  print(select('#', ...))
  print(select('#', coroutine.yield(nil)))
  return nil
end)
local r = table.pack(coroutine.resume(co, nil))
print(r.n, r[1], r[2])
r = table.pack(coroutine.resume(co, nil))
print(r.n, r[1], r[2])
