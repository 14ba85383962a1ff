-- Line hooks where Lua has no line to change to: a function loaded from a stripped dump gets a
-- line event (with a nil line) only where it starts or jumps back, and a numeric for loop whose
-- last iteration falls through to code on the `for` line gives that code no line event.
local function trace(f, ...)
  local events = {}
  local co = coroutine.create(f)
  debug.sethook(co, function(e, l) events[#events + 1] = e .. ':' .. tostring(l) end, 'crl')
  local results = table.pack(coroutine.resume(co, ...))
  print(table.concat(events, ' '))
  return table.unpack(results, 1, results.n)
end

local function sum(n) local s = 0 for i = 1, n do s = s + i end return s end
print('plain', trace(sum, 3))
print('plain, no iteration', trace(sum, 0))
local function fsum(n) local s = 0 for x = 0.5, n, 0.5 do s = s + x end return s end
print('float', trace(fsum, 2))
local function down(n) local s = 0 for i = n, 1, -1 do s = s + i end return s end
print('down', trace(down, 2))

local stripped = load(string.dump(sum, true))
print('stripped', trace(stripped, 3))

local function branches(a)
  local x = 0
  if a then
    x = 1
  else
    x = 2
  end
  while x < 4 do
    x = x + 1
  end
  coroutine.yield(x)
  return x
end
print('stripped branches', trace(load(string.dump(branches, true)), true))
local f = load(string.dump(branches))
print('unstripped branches', trace(f, false))
