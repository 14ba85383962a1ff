-- A recursive generator yields two values (depth and label) per node in preorder.
local tree = {"root", {"a", {"a1"}, {"a2"}}, {"b", {"b1", {"b1x"}}}}
local function visit(t, depth)
  coroutine.yield(depth, t[1])
  for i = 2, #t do visit(t[i], depth + 1) end
end
for depth, label in coroutine.wrap(function() visit(tree, 0) end) do
  print(string.rep("  ", depth) .. label)
end
