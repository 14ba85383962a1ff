-- nil and false are allowed as to-be-closed values and are simply ignored.
local co = coroutine.wrap(function()
  local a <close> = nil
  local b <close> = false
  coroutine.yield("ok with nil and false")
  return "finished"
end)
print(co())
print(co())
