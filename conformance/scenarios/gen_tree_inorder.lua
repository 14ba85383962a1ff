-- A recursive generator walks a binary tree in order, yielding from every recursion level.
local function node(v, l, r) return {value = v, left = l, right = r} end
local tree = node(8, node(4, node(2, node(1), node(3)), node(6, node(5), node(7))), node(12, node(10, nil, node(11)), node(14, node(13))))
local function walk(n)
  if n == nil then return end
  walk(n.left)
  coroutine.yield(n.value)
  walk(n.right)
end
local out = {}
for v in coroutine.wrap(function() walk(tree) end) do out[#out + 1] = v end
print(table.concat(out, " "))
