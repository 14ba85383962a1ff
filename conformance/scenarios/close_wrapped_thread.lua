-- The thread behind a wrap function can be closed from outside; the wrap function then reports a dead coroutine.
local th
local f = coroutine.wrap(function()
  th = coroutine.running()
  coroutine.yield(1)
  return 2
end)
print(f())
print(coroutine.close(th))
print(pcall(f))
