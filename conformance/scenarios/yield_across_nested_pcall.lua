-- Yields from inside two nested pcalls cross both; each pcall returns its own results afterwards.
local co = coroutine.wrap(function()
  local r1 = table.pack(pcall(function()
    local r2 = table.pack(pcall(function()
      local v = coroutine.yield("deepest")
      return "inner", v
    end))
    print("inner pcall:", r2.n, r2[1], r2[2], r2[3])
    local w = coroutine.yield("middle")
    return "outer", w
  end))
  print("outer pcall:", r1.n, r1[1], r1[2], r1[3])
  return "done"
end)
print(co())
print(co("v1"))
print(co("v2"))
