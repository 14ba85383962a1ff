-- A coroutine whose body raised an error is "dead".
local co = coroutine.create(function()
  coroutine.yield()
  error("bad")
end)
coroutine.resume(co)
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.status(co))
