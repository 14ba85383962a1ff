-- A non-string error raised by a __close handler during coroutine.close is returned unchanged by close.
local obj = {kind = "close failure"}
local co = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function() error(obj) end})
  coroutine.yield()
end)
coroutine.resume(co)
local ok, e = coroutine.close(co)
print(ok, e == obj, e.kind, coroutine.status(co))
