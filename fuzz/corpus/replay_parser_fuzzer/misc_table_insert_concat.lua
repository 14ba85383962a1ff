-- table.insert and table.concat used to collect values from a generator.
local acc = {}
for v in coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i * 3) end end) do
  table.insert(acc, v)
end
table.insert(acc, 1, 0)
print(table.concat(acc, "-"), #acc)
