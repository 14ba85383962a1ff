-- Taking the first n values of an infinite generator stops cleanly; the source stays suspended.
local source = coroutine.create(function()
  local i = 0
  while true do i = i + 1 coroutine.yield(i * i) end
end)
local function take(n, co)
  return coroutine.wrap(function()
    for _ = 1, n do
      local _, v = coroutine.resume(co)
      coroutine.yield(v)
    end
  end)
end
for v in take(6, source) do print(v) end
print(coroutine.status(source))
print(coroutine.resume(source))
