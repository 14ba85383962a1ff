-- coroutine.isyieldable in a __close handler: true at block exit inside a coroutine, false when run by coroutine.close.
local co = coroutine.create(function()
  do
    local a <close> = setmetatable({}, {__close = function() print("block exit:", coroutine.isyieldable()) end})
  end
  local b <close> = setmetatable({}, {__close = function() print("by coroutine.close:", coroutine.isyieldable()) end})
  coroutine.yield()
end)
coroutine.resume(co)
coroutine.close(co)
