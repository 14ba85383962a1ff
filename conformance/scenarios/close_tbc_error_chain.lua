-- When several __close handlers fail during coroutine.close, the last error raised is the one returned.
local co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a sees", e) error("from a", 0) end})
  local b <close> = setmetatable({}, {__close = function(_, e) print("b sees", e) error("from b", 0) end})
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.close(co))
