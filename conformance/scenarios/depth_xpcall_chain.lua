-- A resume chain started inside xpcall also loses one level; the handler is not called because resume does not raise.
local deepest, handler_called = 0, false
local function level(n)
  deepest = n
  coroutine.resume(coroutine.create(level), n + 1)
end
print(xpcall(function() coroutine.resume(coroutine.create(level), 1) return "chain done" end,
  function(m) handler_called = true return m end))
print(deepest, handler_called)
