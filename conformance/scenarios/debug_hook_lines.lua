-- debug.sethook line events: one per new line, again when a loop jumps back, closures at their 'end' line, function statements at their 'function' line, the 'end' of a function that falls off it and of a generic for
local lines = {}
local function hook(event, line)
  assert(event == "line")
  assert(debug.getinfo(2, "l").currentline == line)
  lines[#lines + 1] = line
end

local function work(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  for _, v in ipairs({10, 20}) do
    s = s + v
  end
  while s > 30 do
    s = s - 10
  end
  repeat
    s = s + 1
  until s > 32
  if s == 1 then
    s = 0
  elseif s == 33 then
    s = s * 2
  else
    s = -1
  end
  for i = 1, 3 do s = s + i end
  local square = function (x)
    return x * x
  end
  return square(s)
end

local function empty()
end

debug.sethook(hook, "l")
local r = work(2)
empty()
function global_defined()
  return 1
end
local t = {}
function t.field(x) return x end
debug.sethook()
print(r, table.concat(lines, " "))

-- a line hook set inside a function starts at the next line
local later = {}
local function starts_inside()
  debug.sethook(function (_, l) later[#later + 1] = l end, "l") local a = 1
  local b = 2
  debug.sethook()
end
starts_inside()
print(table.concat(later, " "))

-- function literals called or used as methods, spread over lines; a vararg function's first line
local spread = {}
debug.sethook(function (_, l) spread[#spread + 1] = l end, "l")
local v = (function (...)
  return ...
end)(1)
local w = ({m = function (self, x)
  return x
end}):m(2)
debug.sethook()
print(v, w, table.concat(spread, " "))
