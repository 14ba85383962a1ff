-- coroutine.resume never raises for errors inside the coroutine, so a surrounding pcall reports success.
local co = coroutine.create(function() error("inside", 0) end)
print(pcall(coroutine.resume, co))
print(pcall(coroutine.resume, co))
