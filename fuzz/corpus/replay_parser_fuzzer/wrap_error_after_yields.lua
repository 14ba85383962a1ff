-- An error raised after several yields of a wrap function is re-raised at the call that resumed it.
local f = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i) end
  error("after three", 0)
end)
for i = 1, 5 do
  print(i, pcall(f))
end
