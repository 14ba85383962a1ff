-- A producer holding a to-be-closed resource is closed by coroutine.close once the consumer is done early.
local prod = coroutine.create(function()
  local res <close> = setmetatable({}, {__close = function() print("producer resource released") end})
  local i = 0
  while true do i = i + 1 coroutine.yield(i) end
end)
for _ = 1, 3 do print("consumed", select(2, coroutine.resume(prod))) end
print("closing producer:", coroutine.close(prod))
print(coroutine.status(prod))
