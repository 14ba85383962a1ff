-- After an error through resume, the dead coroutine's __close handlers wait until coroutine.close runs them with the error.
local co = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function(_, e) print("closing with", e) end})
  error("body error", 0)
end)
print("resume:", coroutine.resume(co))
print("status:", coroutine.status(co))
print("close:", coroutine.close(co))
print("close again:", coroutine.close(co))
