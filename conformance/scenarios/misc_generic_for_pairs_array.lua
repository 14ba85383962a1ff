-- pairs over an array-only table inside a coroutine visits keys in index order; ipairs stops at the first nil.
local co = coroutine.wrap(function()
  local t = {10, 20, 30, nil, 50}
  local seen = {}
  for i, v in ipairs(t) do seen[#seen + 1] = i .. "=" .. v end
  coroutine.yield(table.concat(seen, " "))
  local arr = {"x", "y", "z"}
  local seen2 = {}
  for k, v in pairs(arr) do seen2[#seen2 + 1] = k .. "=" .. v end
  coroutine.yield(table.concat(seen2, " "))
end)
print(co())
print(co())
