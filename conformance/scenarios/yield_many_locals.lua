-- Locals of several nested calls, many of them, survive a yield unchanged.
local function level3(a, b, c)
  local d, e, f, g, h = a + 1, b .. "!", not c, {a, b}, 3.5
  local i, j, k, l, m = d * 2, e .. e, f, #g, h / 2
  local got = coroutine.yield("deep")
  return table.concat({a, b, tostring(c), d, e, tostring(f), g[1], g[2], h, i, j, tostring(k), l, m, got}, ",")
end
local function level2(x)
  local p, q, r, s = x, x * 3, "s" .. x, x > 2
  local res = level3(p, r, s)
  return res .. "|" .. p .. "," .. q .. "," .. r .. "," .. tostring(s)
end
local function level1()
  local u, v, w = 1, 2, 3
  local out = level2(u + v + w)
  return out .. "|" .. u .. v .. w
end
local co = coroutine.create(level1)
print(coroutine.resume(co))
print(coroutine.resume(co, "resumed"))
