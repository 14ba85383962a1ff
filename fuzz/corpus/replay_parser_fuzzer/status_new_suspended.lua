-- A freshly created coroutine is "suspended".
local co = coroutine.create(function() end)
print(coroutine.status(co))
print(coroutine.status(coroutine.create(print)))
