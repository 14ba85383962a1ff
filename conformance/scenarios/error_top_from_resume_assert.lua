-- assert(coroutine.resume(co)) turns the coroutine's error into an uncaught error at top level.
local co = coroutine.create(function()
  coroutine.yield("ok once")
  error("coroutine failed")
end)
print(assert(coroutine.resume(co)))
print(assert(coroutine.resume(co)))
