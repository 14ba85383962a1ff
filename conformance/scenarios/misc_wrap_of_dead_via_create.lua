-- Wrapping a function whose earlier coroutine is dead creates a new independent coroutine.
local function body() coroutine.yield("once") return "end" end
local co = coroutine.create(body)
coroutine.resume(co) coroutine.resume(co)
print(coroutine.status(co))
local w = coroutine.wrap(body)
print(w())
print(w())
print(pcall(w))
