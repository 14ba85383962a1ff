-- debug.upvalueid gives a light userdata naming an upvalue (equal for closures that share it), and light userdata in type checks, errors and table keys; getuservalue/setuservalue on the library's userdata.
local shared, other = 1, 2
local function a() return shared end
local function b() return shared, other end
local function c() return other end
local id = debug.upvalueid(a, 1)
print(type(id), math.type(id), tostring(id):match("^userdata: ") ~= nil)
print(id == debug.upvalueid(b, 1), id == debug.upvalueid(b, 2), debug.upvalueid(b, 2) == debug.upvalueid(c, 1))
print(rawequal(id, debug.upvalueid(a, 1)), id == a)
-- closures made by the same function at different times share an upvalue only when it is the same variable
local function counter() local n = 0 return function () n = n + 1 return n end end
local c1, c2 = counter(), counter()
print(debug.upvalueid(c1, 1) == debug.upvalueid(c2, 1), debug.upvalueid(c1, 1) == debug.upvalueid(c1, 1))
-- the chunk's _ENV: every function of one chunk that names a global shares it
local f1, f2 = load("return function () return x end, function () return y end")()
print(debug.upvalueid(f1, 1) == debug.upvalueid(f2, 1))
-- no such upvalue: fail
print(debug.upvalueid(a, 0), debug.upvalueid(a, 2), debug.upvalueid(print, 1), debug.upvalueid(a, 2^32 + 1) == id)
-- argument checks, the number first
print(pcall(debug.upvalueid, a))
print(pcall(debug.upvalueid, 1))
print(pcall(debug.upvalueid, 1, 1))
print(pcall(debug.upvalueid, a, 1.5))
print(pcall(debug.upvalueid, a, "x"))
-- a key like any other
local t = {[id] = "first"}
t[debug.upvalueid(b, 1)] = t[debug.upvalueid(b, 1)] .. " and same"
print(t[id], next(t) == id)
-- light userdata in errors
print(pcall(debug.setuservalue, id, {}))
print(pcall(setmetatable, id, {}))
print(pcall(string.rep, id, 2))
print(pcall(function () return id.field end))
print(pcall(function () return id + 1 end))
print(pcall(function () return #id end))
print(pcall(function () return id() end))
print(pcall(function () return id < id end))
print(pcall(function () return id .. "" end))
print(pcall(string.format, "%q", id))
print(getmetatable(id), select("#", debug.getuservalue(id)), debug.getuservalue(id))
-- the library's userdata (io's files) have no user values
print(debug.getuservalue(io.stdout), debug.getuservalue(io.stdout, 2), debug.getuservalue(1))
print(debug.setuservalue(io.stdout, {}), debug.setuservalue(io.stdout, 1, 0))
print(pcall(debug.setuservalue, io.stdout))
print(pcall(debug.setuservalue, 1, {}))
print(pcall(debug.setuservalue, io.stdout, 1, "x"))
print(pcall(debug.getuservalue, io.stdout, "x"))
-- inside a coroutine, an id made outside is the same value
print(coroutine.wrap(function () return debug.upvalueid(a, 1) == id end)())
