-- A yield inside an __index function suspends the coroutine mid-indexing; the resume value becomes the field value.
local proxy = setmetatable({}, {__index = function(t, k)
  return coroutine.yield("need " .. k)
end})
local co = coroutine.wrap(function()
  local a = proxy.alpha
  local b = proxy.beta
  return a .. "+" .. b
end)
print(co())
print(co("A"))
print(co("B"))
