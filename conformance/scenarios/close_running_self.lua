-- A coroutine closing itself gets "cannot close a running coroutine".
local co
co = coroutine.create(function()
  print(pcall(coroutine.close, co))
  print(pcall(function() coroutine.close(co) end))
  return "alive"
end)
print(coroutine.resume(co))
