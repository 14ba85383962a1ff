-- Closing the main thread from inside a coroutine fails: the main thread is normal there.
local main = coroutine.running()
local co = coroutine.wrap(function()
  return pcall(coroutine.close, main)
end)
print(co())
