-- A coroutine killed by an error is dead; resuming it again fails with the dead message.
local co = coroutine.create(function() error("first failure") end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))
