-- coroutine.close of a coroutine suspended inside a __close handler that yielded while a pcall was recovering from an error: the variables still waiting in that function are closed by the close, with nil.
local function tbc(tag, yields)
  return setmetatable({}, {__close = function(_, e)
    print("close", tag, e)
    if yields then coroutine.yield(tag) end
  end})
end
local co = coroutine.create(function()
  print(pcall(function()
    local a <close> = tbc("a")
    local b <close> = tbc("b")
    local c <close> = tbc("c", true)
    error("x", 0)
  end))
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.close(co))
print(coroutine.status(co))
