-- A for loop's hidden control variables (three for a numeric loop, four for a generic one) count against the limit of 200 local variables, from the loop's first name on.
local function locals(n)
  local names = {}
  for i = 1, n do names[i] = "l" .. i end
  return "local " .. table.concat(names, ", ") .. "\n"
end
local function try(src)
  local f, msg = load(src)
  return f and "loads" or (msg:gsub("^%[string .-%]:", ""))
end
print(try(locals(196) .. "for i = 1, 2 do end"), try(locals(197) .. "for i = 1, 2 do end"))
print(try(locals(195) .. "for k in pairs{} do end"), try(locals(196) .. "for k in pairs{} do end"))
print(try(locals(194) .. "for k, v in pairs{} do end"), try(locals(195) .. "for k, v in pairs{} do end"))
print(try(locals(190) .. "for k, v, w, x, y, z in pairs{} do end"))
-- nested loops hold theirs while the inner one is read
print(try(locals(192) .. "for i = 1, 2 do for j = 1, 2 do end end"), try(locals(193) .. "for i = 1, 2 do for j = 1, 2 do end end"))
print(try(locals(192) .. "for i = 1, 2 do local a end"), try(locals(193) .. "for i = 1, 2 do local a, b, c, d end"))
-- after the loop they are free again
print(try(locals(196) .. "for i = 1, 2 do end local a, b, c, d"))
-- a function inside the loop has its own
print(try(locals(195) .. "for i = 1, 2 do local f = function () " .. locals(199) .. " end end"))
