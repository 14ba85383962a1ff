-- Coroutines started inside deep Lua recursion, each recursing deeply before starting the next, nest until the C stack limit (196 from inside xpcall), not until memory runs out.
local started = 0
local depth = 600
local function descend(n)
  if n > 0 then return descend(n - 1) + 1 end
  coroutine.wrap(function()
    started = started + 1
    descend(depth)
  end)()
end
local ok, msg = xpcall(descend, function(m) return "stopped: " .. m end, depth)
-- Each wrap level prefixes the message with the position of its call.
print(ok, msg:sub(1, 9), msg:sub(-16), #msg)
print(started)
