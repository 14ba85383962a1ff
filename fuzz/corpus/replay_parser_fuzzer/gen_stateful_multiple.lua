-- Several instances of the same generator keep separate state.
local function countdown(n) return coroutine.wrap(function() while n > 0 do coroutine.yield(n) n = n - 1 end return "liftoff" end) end
local a, b = countdown(3), countdown(2)
print(a(), b(), a(), b(), a(), b(), a())
