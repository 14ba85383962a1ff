-- Closing a coroutine in the "normal" state fails with "cannot close a normal coroutine".
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print(pcall(coroutine.close, outer))
    print(coroutine.status(outer))
  end)
  coroutine.resume(inner)
  return "outer finished"
end)
print(coroutine.resume(outer))
