-- A vararg function keeps its ... intact across a yield.
local function f(...)
  local before = select('#', ...)
  coroutine.yield(before)
  return select('#', ...), ...
end
local co = coroutine.create(f)
print(coroutine.resume(co, 1, nil, 3, nil))
print(coroutine.resume(co))
