-- Closures created before a yield still see and update their upvalues after resuming.
local co = coroutine.wrap(function()
  local fns = {}
  for i = 1, 3 do
    local v = i * 10
    fns[i] = function(d) v = v + d return v end
  end
  coroutine.yield(fns[1](1), fns[2](2), fns[3](3))
  coroutine.yield(fns[1](1), fns[2](2), fns[3](3))
end)
print(co())
print(co())
