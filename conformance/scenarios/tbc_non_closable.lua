-- A to-be-closed variable holding a value without __close raises "variable '...' got a non-closable value".
local co = coroutine.create(function()
  local fine = 1
  local bad <close> = {}
  return "unreachable"
end)
print(coroutine.resume(co))
