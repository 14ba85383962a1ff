-- a collection while a coroutine is suspended keeps the tables only its frames hold, so resuming it finds them intact
local seen = setmetatable({}, {__mode = "v"})

local function worker(n)
  local own = {}
  for i = 1, n do own[i] = {value = i * 10} end
  own.self = own                            -- a cycle, reachable only from this frame
  seen.own = own
  local inner = coroutine.yield("filled")
  local deeper = (function (t)
    local copy = {t}
    seen.copy = copy
    coroutine.yield("deeper")
    return copy[1]
  end)(own)
  local sum = 0
  for i = 1, n do sum = sum + deeper[i].value end
  return sum, inner, deeper.self == deeper
end

local cos = {}
for i = 1, 4 do cos[i] = coroutine.create(worker) end
for i = 1, 4 do print(coroutine.resume(cos[i], i + 2)) end
collectgarbage()
print("own still there", seen.own ~= nil)
for i = 1, 4 do print(coroutine.resume(cos[i], "in" .. i)) end
collectgarbage()
collectgarbage()
print("copy still there", seen.copy ~= nil)
for i = 1, 4 do print(coroutine.resume(cos[i])) end
cos = nil
collectgarbage()
print("after the coroutines ended", seen.own, seen.copy)
