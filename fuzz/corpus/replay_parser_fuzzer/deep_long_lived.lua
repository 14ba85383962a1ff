-- A single coroutine survives 20000 resume/yield round trips with its state intact.
local co = coroutine.create(function()
  local acc = 0
  while true do
    local v = coroutine.yield(acc)
    acc = acc + v
  end
end)
coroutine.resume(co)
local last
for i = 1, 20000 do
  local _, v = coroutine.resume(co, i)
  last = v
end
print(last, coroutine.status(co))
