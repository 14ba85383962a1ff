-- string.dump and load of binary chunks with coroutines: round trips with fresh upvalues and _ENV as the first one, stripped functions (positions "?:-1:", no local or upvalue names), mode refusals, bad binary chunks, dump misuse.
local function show(ok, ...)
  local out = {tostring(ok)}
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
  return table.concat(out, " ")
end

local shared = "captured"
local function body(a, b)
  local sum = a + b
  local got = coroutine.yield(sum, shared)
  return got .. "!", type(print)
end
for _, strip in ipairs{false, true} do
  local f = load(string.dump(body, strip))
  local co = coroutine.wrap(f)
  print(strip, co(2, 3))
  print(strip, co("back"))
  print(strip, debug.getupvalue(f, 1), debug.getupvalue(f, 2))
end

-- errors inside loaded functions, through resume
local function faults(kind, t)
  local v = t
  if kind == 1 then return v + 1 end
  if kind == 2 then return undefined_global.x end
  if kind == 3 then return shared .. {} end
  if kind == 4 then error("raised") end
  if kind == 5 then return math.floor({}) end
  if kind == 6 then return v.field.deeper end
  if kind == 7 then local m = t; return m:method() end
  return debug.getinfo(1, "Sl")
end
for _, strip in ipairs{false, true} do
  local f = load(string.dump(faults, strip))
  for kind = 1, 7 do
    print(strip, kind, show(coroutine.resume(coroutine.create(f), kind, {})))
  end
  local info = select(2, coroutine.resume(coroutine.create(f), 8))
  print(strip, info.source, info.short_src, info.currentline, info.linedefined, info.lastlinedefined, info.what)
  print(strip, (debug.traceback(coroutine.create(f), "tb"):gsub("\n.*", "")))
end

-- a dump of a loaded chunk, of a stripped function, with another environment
local chunk = load("local n = ... return n * 2, x", "=named")
local env = {x = "from env"}
print(load(string.dump(chunk), "dumped", "b", env)(21))
local twice = load(string.dump(load(string.dump(faults, true))))
print(show(pcall(twice, 1, {})))
print(load(string.dump(function() return shared end))() == _G)

-- modes and bad chunks
local bin = string.dump(body)
print(bin:sub(1, 4) == "\27Lua", type(bin))
print(load(bin, "b", "t"))
print(load("return 1", "t", "b"))
print(load(bin, "=eq", "b") ~= nil, load(bin, "@at.lua", "bt") ~= nil)
for _, bad in ipairs{"\27", "\27Lu", "\27Lux", "\27Lua\x53", "\27Lua\x54\x01", "\27Lua\x54\x00\x19\x93\r\n\x1a\x0b",
  bin:sub(1, 20)} do
  print(load(bad))
end
print(load(bin:sub(1, 8), "=short"))
print(load(bin:sub(1, 8), "@file.luac"))
print(load(bin:sub(1, 8), "plain"))
local whole = string.dump(chunk)
local parts, i = {whole:sub(1, 3), whole:sub(4)}, 0
print(load(function() i = i + 1 return parts[i] end, "reader")(4))

-- misuse
print(pcall(string.dump))
print(pcall(string.dump, print))
print(pcall(string.dump, coroutine.wrap(body)))
print(pcall(string.dump, {}))
print(pcall(string.dump, "x"))
local co = coroutine.create(function() return string.dump(coroutine.yield) end)
print(coroutine.resume(co))
