-- 250 values passed to resume arrive as 250 parameters, including nils at chosen positions.
local args = {}
for i = 1, 250 do args[i] = i end
args[100] = nil
args[250] = nil
local co = coroutine.create(function(...)
  local n = select('#', ...)
  local sum = 0
  for i = 1, n do sum = sum + (select(i, ...) or 0) end
  print("count", n, "sum", sum, "100th", (select(100, ...)), "249th", (select(249, ...)))
end)
print(coroutine.resume(co, table.unpack(args, 1, 250)))
