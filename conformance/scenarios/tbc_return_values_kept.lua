-- Return values of a function survive the __close handlers run when it returns.
local function f()
  local r <close> = setmetatable({}, {__close = function() print("closing before return completes") end})
  return "r1", "r2", coroutine.yield("yielded before return")
end
local co = coroutine.create(f)
print(coroutine.resume(co))
print(coroutine.resume(co, "r3"))
