-- An error raised by a __close handler at normal block exit inside a coroutine kills the coroutine.
local co = coroutine.create(function()
  do
    local r <close> = setmetatable({}, {__close = function(_, e)
      print("closing with", e)
      error("close blew up", 0)
    end})
    coroutine.yield("holding")
  end
  return "unreachable"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))
