-- coroutine.close after an error returns the very error object that killed the coroutine.
local obj = {}
local co = coroutine.create(function() error(obj) end)
local ok1, e1 = coroutine.resume(co)
local ok2, e2 = coroutine.close(co)
print(ok1, e1 == obj, ok2, e2 == obj, select('#', coroutine.close(co)))
