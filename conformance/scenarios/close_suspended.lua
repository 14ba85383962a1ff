-- coroutine.close on a suspended coroutine returns true (one value) and the coroutine is dead.
local co = coroutine.create(function()
  coroutine.yield("a")
  print("must not continue")
end)
print(coroutine.resume(co))
print(select('#', coroutine.close(co)), coroutine.status(co))
