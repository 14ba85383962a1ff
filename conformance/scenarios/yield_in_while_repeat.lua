-- Yields inside while and repeat loops resume exactly where they left off.
local co = coroutine.wrap(function()
  local n = 0
  while n < 3 do
    n = n + 1
    coroutine.yield("while " .. n)
  end
  repeat
    n = n - 1
    coroutine.yield("repeat " .. n)
  until n == 0
  return "done"
end)
for i = 1, 7 do print(co()) end
