-- Inside an xpcall message handler running in a coroutine, the coroutine is still "running".
local co
co = coroutine.create(function()
  return xpcall(function() error("oops", 0) end, function(m)
    return m .. " seen while " .. coroutine.status(co)
  end)
end)
print(coroutine.resume(co))
print(coroutine.status(co))
