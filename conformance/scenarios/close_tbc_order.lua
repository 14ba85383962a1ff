-- coroutine.close runs pending __close handlers in reverse declaration order with a nil error.
local function res(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
local co = coroutine.create(function()
  local a <close> = res("a")
  local b <close> = res("b")
  do
    local c <close> = res("c")
    coroutine.yield("inside block")
  end
end)
print(coroutine.resume(co))
print("closing")
print(coroutine.close(co))
