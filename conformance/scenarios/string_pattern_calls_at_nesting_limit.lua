-- At the bottom of a resume chain near the C-stack limit, find and match (no Lua calls) still work, while a gmatch loop's iterator call and a gsub replacement call each need one more C level.
local function at_depth(n, probe)
  if n == 0 then return probe() end
  local ok, a, b = coroutine.resume(coroutine.create(at_depth), n - 1, probe)
  if not ok then return "failed", a end
  return a, b
end

local function probes()
  return {
    find = function() return "find", ("key=value"):find("=", 1, true) end,
    match = function() return "match", ("key=value"):match("^(%w+)=") end,
    gmatch = function()
      local n = 0
      for _ in ("a b c"):gmatch("%a") do n = n + 1 end
      return "gmatch", n
    end,
    gsub = function() return "gsub", (("abc"):gsub("%w", function(c) return c:upper() end)) end,
  }
end

for _, depth in ipairs({195, 196, 197}) do
  local p = probes()
  for _, name in ipairs({"find", "match", "gmatch", "gsub"}) do
    print(depth, name, at_depth(depth, p[name]))
  end
end
