-- _ENV among a function's upvalues as Lua lists it: a loaded chunk's only upvalue, placed where a function (or one nested in it) first uses a global, absent when none is used or a local _ENV is in scope; getupvalue and setupvalue on it, also from inside a coroutine.
local getupvalue, setupvalue, getinfo = debug.getupvalue, debug.setupvalue, debug.getinfo
local G = _G
local function names(f)
  local out = {}
  for i = 1, 10 do
    local name = getupvalue(f, i)
    if name == nil then break end
    out[#out + 1] = name
  end
  return table.concat(out, ",") .. " (" .. getinfo(f, "u").nups .. ")"
end

local chunk = load("a_global = 1")
print(names(chunk), select(2, getupvalue(chunk, 1)) == G)
print(names(load("return 1")), names(load("local x return x")))
local env = {}
local with_env = load("value = ...", "=with_env", "t", env)
print(select(2, getupvalue(with_env, 1)) == env)
with_env(42)
print(env.value, rawget(G, "value"))

local up, other = 1, 2
local function global_first() return print, up end
local function upvalue_first() return up, print end
local function no_global() return up + other end
local function nested_only() return function() return print end end
local function nested_after() local _ = other return function() return up, print end end
local function local_env() local _ENV = {x = 1} return x, up end
local function param_env(_ENV) return y end
local function explicit() return _ENV end
print(names(global_first))
print(names(upvalue_first))
print(names(no_global))
print(names(nested_only), names(nested_only()))
print(names(nested_after), names(nested_after()))
print(names(local_env))
print(names(param_env))
print(names(explicit), explicit() == G)
print(getupvalue(upvalue_first, 3), getupvalue(upvalue_first, 0))

-- setupvalue on _ENV changes it for every function of the chunk that shares it
local co = coroutine.wrap(function()
  local f = load("local n = 0 return function() n = n + 1 return name, n end")()
  print(names(f))
  print(setupvalue(f, 2, {name = "first"}), f())
  coroutine.yield(f)
  print(setupvalue(f, 2, setmetatable({}, {__index = function(_, k) return "index " .. k end})), f())
  return f
end)
local f = co()
print(f())
local f2 = co()
print(f2 == f, f())
print(setupvalue(f, 1, "not a number"), pcall(f))
print(pcall(getupvalue, f), pcall(setupvalue, f, 1))
print(getupvalue(print, 1), getupvalue(coroutine.wrap(print), 1) == "")
