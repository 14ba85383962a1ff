-- A failing resume does not raise: execution continues after it in the resumer.
local co = coroutine.create(function() error("inside", 0) end)
local ok, e = coroutine.resume(co)
print("continued", ok, e)
print(coroutine.resume(co))
print("still running")
