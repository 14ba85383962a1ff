-- Resuming the main thread from inside a coroutine fails as non-suspended.
local main = coroutine.running()
local co = coroutine.create(function()
  print("main status:", coroutine.status(main))
  return coroutine.resume(main)
end)
print(coroutine.resume(co))
print("main resumes itself:", coroutine.resume(main))
