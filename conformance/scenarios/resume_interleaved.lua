-- Two independent coroutines resumed alternately keep their own state.
local function counter(name, step)
  return coroutine.create(function()
    local v = 0
    while true do
      v = v + step
      coroutine.yield(name .. "=" .. v)
    end
  end)
end
local x, y = counter("x", 1), counter("y", 10)
for i = 1, 4 do
  print(select(2, coroutine.resume(x)), select(2, coroutine.resume(y)))
end
