-- A coroutine can close another suspended coroutine; the closed one's __close handlers run inside that call.
local victim = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function() print("victim resource closed") end})
  coroutine.yield("victim suspended")
end)
print(coroutine.resume(victim))
local closer = coroutine.create(function()
  print("closer: victim is", coroutine.status(victim))
  local ok = coroutine.close(victim)
  print("closer: close returned", ok, "victim is", coroutine.status(victim))
  return "closer done"
end)
print(coroutine.resume(closer))
