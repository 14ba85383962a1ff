-- coroutine.yield called from a plain function several calls below the body still yields the coroutine.
local function helper(x) return coroutine.yield(x * 10) end
local function middle(x) return helper(x + 1) + 1 end
local co = coroutine.create(function(x)
  local r = middle(x)
  return "result " .. r
end)
print(coroutine.resume(co, 4))
print(coroutine.resume(co, 7))
