-- coroutine.close closes to-be-closed variables of every suspended frame, innermost first.
local function res(name)
  return setmetatable({}, {__close = function() print("closed", name) end})
end
local function level2()
  local x <close> = res("level2")
  coroutine.yield("deep")
end
local function level1()
  local y <close> = res("level1")
  level2()
end
local co = coroutine.create(function()
  local z <close> = res("body")
  level1()
end)
print(coroutine.resume(co))
print(coroutine.close(co))
