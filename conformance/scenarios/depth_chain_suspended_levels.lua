-- A 190-level chain where every level yields back to its parent before the chain unwinds; statuses along the way.
local threads = {}
local function level(n)
  threads[n] = coroutine.running()
  if n < 190 then
    local child = coroutine.create(level)
    local ok, v = coroutine.resume(child, n + 1)
    coroutine.yield(v)
    local ok2, v2 = coroutine.resume(child)
    return v2 + 1
  end
  coroutine.yield(0)
  return 0
end
local top = coroutine.create(level)
print(coroutine.resume(top, 1))
print(coroutine.status(threads[1]), coroutine.status(threads[2]), coroutine.status(threads[190]))
print(coroutine.resume(top))
print(coroutine.status(threads[1]), coroutine.status(threads[190]))
