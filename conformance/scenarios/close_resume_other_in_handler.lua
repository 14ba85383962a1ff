-- A __close handler run by coroutine.close may resume another coroutine.
local helper = coroutine.create(function(x)
  while true do x = coroutine.yield("helper got " .. x) end
end)
local co = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function()
    print(coroutine.resume(helper, "from handler"))
  end})
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.status(helper))
