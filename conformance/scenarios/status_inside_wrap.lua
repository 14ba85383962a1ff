-- The thread behind a coroutine.wrap function is "running" inside and "suspended" or "dead" outside.
local th
local f = coroutine.wrap(function()
  th = coroutine.running()
  print("inside:", coroutine.status(th))
  coroutine.yield()
end)
f()
print("after yield:", coroutine.status(th))
f()
print("after return:", coroutine.status(th))
