-- debug.getinfo on a coroutine: level 0 is the yield it is suspended in, then its Lua levels with their current lines, names and tail calls; nothing for fresh or dead ones
local function describe(info)
  if info == nil then return "none" end
  return string.format("%s %s line=%d def=%d-%d name=%s(%s) tail=%s", info.what, info.short_src,
    info.currentline, info.linedefined, info.lastlinedefined, tostring(info.name),
    info.namewhat, tostring(info.istailcall))
end

local function leaf(x)
  coroutine.yield(x)
  return x
end

local function middle(x)
  local r = leaf(x + 1)
  return r
end

local function jump(x)
  return middle(x)   -- a tail call: middle's level says so
end

local co = coroutine.create(function (x)
  local a = jump(x)
  coroutine.yield(a)
  return a
end)

print("fresh", describe(debug.getinfo(co, 0)))
print(coroutine.resume(co, 1))
for level = 0, 4 do print(level, describe(debug.getinfo(co, level))) end
print("func", debug.getinfo(co, 1, "f").func == leaf, debug.getinfo(co, 2, "f").func == middle)
print(coroutine.resume(co))
for level = 0, 2 do print(level, describe(debug.getinfo(co, level, "Slnt"))) end
print(coroutine.resume(co))
print("dead", describe(debug.getinfo(co, 0)))

-- the main thread seen from inside a coroutine: it is normal, its levels readable
local main = coroutine.running()
coroutine.wrap(function ()
  for level = 0, 3 do print("main", level, describe(debug.getinfo(main, level, "Slnt"))) end
  print("self", describe(debug.getinfo(1, "Slnt")))
end)()

-- a function instead of a level, and the options
local info = debug.getinfo(middle, "Su")
print(info.what, info.nparams, info.isvararg, info.currentline, info.linedefined)
print(debug.getinfo(print, "S").what, debug.getinfo(print, "u").isvararg)
print(pcall(debug.getinfo, co, 0, "X"))
print(pcall(debug.getinfo, co, 0, ">S"))
print(pcall(debug.getinfo, co, "top"))
