-- coroutine.close after several yields closes exactly the variables still in scope at the last yield.
local function res(name)
  return setmetatable({}, {__close = function() print("close", name) end})
end
local co = coroutine.create(function()
  local a <close> = res("a")
  do
    local b <close> = res("b")
    coroutine.yield(1)
  end
  local c <close> = res("c")
  coroutine.yield(2)
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.close(co))
