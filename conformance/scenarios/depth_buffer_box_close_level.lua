-- A library result that outgrows lauxlib's 1024-byte luaL_Buffer (LUAL_BUFFERSIZE) moves into a to-be-closed box, and closing it calls the box's __close from C: one more C level, so one level below Lua's limit a long result fails with "C stack overflow" (no position) where a short one does not; string.format counts the room it reserves per conversion, gsub the text it kept even when nothing changed.
local function nested(n, f)
  if n == 0 then return f() end
  return coroutine.wrap(nested)(n - 1, f)
end
local x1000 = string.rep("x", 1000)
local cases = {
  {"rep 1024", function() return string.rep("x", 1024) end},
  {"rep 1025", function() return string.rep("x", 1025) end},
  {"rep with sep 1028", function() return string.rep("abc", 206, ",,") end},
  {"upper 1024", function() return string.upper(x1000 .. string.rep("y", 24)) end},
  {"reverse 1025", function() return string.reverse(x1000 .. string.rep("y", 25)) end},
  {"concat 1024", function() return table.concat({x1000, "a"}, string.rep("-", 23)) end},
  {"concat 1025", function() return table.concat({x1000, "a"}, string.rep("-", 24)) end},
  {"format %d after 904", function() return string.format(string.rep("x", 904) .. "%d", 1) end},
  {"format %d after 905", function() return string.format(string.rep("x", 905) .. "%d", 1) end},
  {"format %f after 607", function() return string.format(string.rep("x", 607) .. "%f", 1) end},
  {"format %s of 1025", function() return string.format("%s", x1000 .. string.rep("y", 25)) end},
  {"gsub unchanged 1200", function() return string.gsub(string.rep("ab", 600), "c", "d") end},
  {"gsub to 600", function() return string.gsub(string.rep("ab", 600), "a", "") end},
  {"traceback", function() return debug.traceback(x1000) end},
  {"concat operator 2000", function() return x1000 .. x1000 end},
}
for n = 195, 196 do
  nested(n, function()
    for _, case in ipairs(cases) do
      local ok, r = pcall(case[2])
      print(n, case[1], ok, ok and #r or r)
    end
  end)
end
