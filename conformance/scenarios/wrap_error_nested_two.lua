-- A string error passing through two nested wrap functions gets one prefix per wrap.
local inner = coroutine.wrap(function() error("deep", 0) end)
local outer = coroutine.wrap(function()
  inner()
end)
print(pcall(function() outer() end))
