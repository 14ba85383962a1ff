-- A __close handler run at normal block exit inside a coroutine may yield.
local co = coroutine.create(function()
  do
    local r <close> = setmetatable({}, {__close = function(o, e)
      print("closing, error =", e, "yieldable =", coroutine.isyieldable())
      local v = coroutine.yield("yield from __close")
      print("__close resumed with", v)
    end})
    print("leaving block")
  end
  return "after block"
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co, "X"))
print(coroutine.status(co))
