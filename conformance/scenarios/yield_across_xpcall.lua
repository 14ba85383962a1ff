-- A yield inside a function run by xpcall crosses the xpcall; a later error goes to the handler.
local co = coroutine.create(function()
  return xpcall(function()
    local v = coroutine.yield("waiting")
    error({tag = v})
  end, function(e) return "handled " .. e.tag end)
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "T"))
