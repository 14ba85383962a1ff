-- Using assert on coroutine.close's results turns a dead-by-error coroutine into an uncaught error.
local co = coroutine.create(function() error("died", 0) end)
coroutine.resume(co)
print("asserting")
assert(coroutine.close(co))
