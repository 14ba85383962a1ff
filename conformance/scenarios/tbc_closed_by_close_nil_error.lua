-- A __close handler run by coroutine.close receives the object and a nil error (exactly two arguments).
local obj
obj = setmetatable({}, {__close = function(...)
  local o, e = ...
  print("args", select('#', ...), o == obj, e)
end})
local co = coroutine.create(function()
  local x <close> = obj
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
