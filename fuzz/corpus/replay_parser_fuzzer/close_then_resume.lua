-- A closed coroutine cannot be resumed: "cannot resume dead coroutine".
local co = coroutine.create(function() coroutine.yield(1) return 2 end)
coroutine.resume(co)
coroutine.close(co)
print(coroutine.resume(co))
