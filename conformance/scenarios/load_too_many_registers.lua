-- A function has 255 registers (lcode.c's MAXREGS): a chunk whose call arguments, value lists or table constructors need more fails to load with "function or expression needs too many registers", near the token where Lua reserves the register that does not fit.
local function try(src)
  local f, msg = load(src)
  return f and "loads" or (msg:gsub("^%[string .-%]:", ""))
end
local function xs(n) return string.rep("x", n, ", ") end
local function locals(n)
  local names = {}
  for i = 1, n do names[i] = "l" .. i end
  return "local " .. table.concat(names, ", ") .. "\n"
end
-- the function and its arguments: 254 registers fit; the last argument takes its register after ')'
for _, n in ipairs{253, 254, 255} do print("f", n, try("a = f(" .. xs(n) .. ")")) end
-- a method call needs one more (self)
for _, n in ipairs{252, 253, 254} do print("o:m", n, try("o:m(" .. xs(n) .. ")")) end
-- `...` as the last argument takes its register before the ')'; an open call needs none of its own
print(try("f(" .. xs(253) .. ", ...)"), try("f(" .. xs(252) .. ", ...)"))
print(try("f(" .. xs(253) .. ", g())"), try("f(" .. xs(252) .. ", g())"))
-- string and table arguments
print(try(locals(200) .. "g(" .. xs(51) .. ", f's')"), try(locals(200) .. "g(" .. xs(52) .. ", f's')"))
print(try(locals(200) .. "g(" .. xs(51) .. ", f{})"), try(locals(200) .. "g(" .. xs(52) .. ", f{})"))
-- locals count, compile-time constants do not
print(try(locals(150) .. "f(" .. xs(103) .. ")"), try(locals(150) .. "f(" .. xs(104) .. ")"))
print(try("local c <const> = 1\n" .. locals(149) .. "f(" .. xs(104) .. ")"))
-- value lists: return, local, assignment and the generic for close their last value too
print(try("return " .. xs(255)), try("return " .. xs(254)))
print(try("local a, b = " .. xs(255)), try("a, b = " .. xs(255)), try("a = " .. xs(255)))
print(try("for k in " .. xs(255) .. " do end"), try("for k in " .. xs(254) .. " do end"))
-- a constructor's list items are stored every 50, so only the pending ones hold registers
print(try(locals(200) .. "t = {" .. xs(1000) .. "}"), try(locals(190) .. "t = {" .. xs(1000) .. "}"))
print(try(locals(150) .. "f(" .. xs(52) .. ", {" .. xs(50) .. "})"), try(locals(150) .. "f(" .. xs(53) .. ", {" .. xs(50) .. "})"))
print(try(locals(150) .. "f(" .. xs(53) .. ", {" .. xs(49) .. ", g()})"), try(locals(150) .. "f(" .. xs(53) .. ", {" .. xs(49) .. ", ...})"))
print(try(locals(150) .. "f(" .. xs(53) .. ", {" .. xs(99) .. ", a = g()})"), try(locals(150) .. "f(" .. xs(53) .. ", {" .. xs(100) .. ", a = 1})"))
-- nested calls and operators hold their registers while the rest is read
print(try(locals(180) .. "f(" .. string.rep("g(x)", 72, ", ") .. ")"), try(locals(180) .. "f(" .. string.rep("g(x)", 73, ", ") .. ")"))
print(try(locals(180) .. "f(" .. string.rep("g(x) + h(y)", 72, ", ") .. ")"), try(locals(180) .. "f(" .. string.rep("g(x) + h(y)", 73, ", ") .. ")"))
print(try(locals(180) .. "f(" .. string.rep("g(x) and h(y)", 73, ", ") .. ")"))
print(try(locals(180) .. "f(" .. string.rep("function () end", 74, ", ") .. ")"), try(locals(180) .. "f(" .. string.rep("function () end", 75, ", ") .. ")"))
-- every function has its own registers
print(try(locals(180) .. "f(function () return f(" .. xs(200) .. ") end)"))
-- the same inside a coroutine, a message handler and a nested load
print(coroutine.wrap(function () return try("f(" .. xs(254) .. ")") end)())
print(xpcall(error, function () return try("f(" .. xs(254) .. ")") end))
print(try("return load(" .. string.format("%q", "f(" .. xs(254) .. ")") .. ")"), select(2, load("return load(" .. string.format("%q", "f(" .. xs(254) .. ")") .. ")")()))
