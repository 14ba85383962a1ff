-- A yield returns control to the coroutine that resumed it, not to the main chunk.
local b = coroutine.create(function()
  print("b: step 1")
  coroutine.yield("from b 1")
  print("b: step 2")
  coroutine.yield("from b 2")
  return "b returns"
end)
local a = coroutine.create(function()
  print("a got", coroutine.resume(b))
  print("a got", coroutine.resume(b))
  coroutine.yield("a yields to main")
  print("a got", coroutine.resume(b))
  return "a returns"
end)
print("main got", coroutine.resume(a))
print("main got", coroutine.resume(a))
print(coroutine.status(a), coroutine.status(b))
