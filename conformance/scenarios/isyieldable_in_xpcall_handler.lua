-- Inside an xpcall message handler in a coroutine, coroutine.isyieldable is false; in the protected function it is true.
local co = coroutine.wrap(function()
  return xpcall(function()
    print("protected function:", coroutine.isyieldable())
    error("x")
  end, function() return coroutine.isyieldable() end)
end)
print(co())
