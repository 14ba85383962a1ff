-- A table error object passes through resume as the same table.
local e1 = {msg = "custom"}
local co = coroutine.create(function() coroutine.yield() error(e1) end)
coroutine.resume(co)
local ok, e = coroutine.resume(co)
print(ok, e == e1, e.msg, type(e))
