-- Each target of a multiple assignment after the first nests the parser one level deeper (lparser.c's restassign), so a long target list fails with "C stack overflow", a runtime error the message handler in force sees inside load.
local function targets(n) return "local a; a" .. string.rep(", a", n - 1) .. " = 1" end
local function outcome(f, msg) return f and "loads" or msg end
-- the boundary, called from the main chunk: lua.c's handler adds a traceback to the message
for _, n in ipairs{195, 196, 197} do print(n, outcome(load(targets(n)))) end
-- no handler under pcall: the bare message, without a position
print(pcall(load, targets(500)))
print(pcall(function () return outcome(load(targets(195))) end))
-- an xpcall handler sees it where the parser stopped; what it returns is load's message
print(xpcall(function () return outcome(load(targets(500))) end, function (m) return "handled: " .. m end))
print(xpcall(function () local f, m = load(targets(500)) return type(m), m and m.why end,
             function (m) return {why = m} end))
print(xpcall(function () return outcome(load(targets(500))) end, debug.traceback))
-- a handler that fails is called again on its own error, until the C stack runs out
print(xpcall(function () return outcome(load(targets(500))) end, function (m) error("again") end))
-- a last target that cannot be assigned is found at its own level; the values are read one deeper
print(pcall(load, "local a; a" .. string.rep(", a", 194) .. ", f() = 1"))
print(pcall(load, "local a; a" .. string.rep(", a", 195) .. ", f() = 1"))
-- indexed targets and calls in the values count the same way
print(pcall(load, "t = {}; t.x" .. string.rep(", t.x", 195) .. " = 1"))
print(pcall(load, "t = {}; t.x" .. string.rep(", t[1]", 150) .. " = f(1), g(2)"))
-- inside a coroutine the parser starts from the coroutine's level: fewer targets fit
for _, n in ipairs{195, 196} do
  print(n, coroutine.wrap(function () return outcome(load(targets(n))) end)())
end
print(coroutine.wrap(function ()
  return xpcall(function () return outcome(load(targets(300))) end, function (m) return "in coroutine: " .. m end)
end)())
