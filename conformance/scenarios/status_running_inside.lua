-- Inside its own body a coroutine sees itself as "running".
local co
co = coroutine.create(function()
  print("inside:", coroutine.status(co))
  local function nested() return coroutine.status(co) end
  print("inside nested call:", nested())
end)
coroutine.resume(co)
print("outside after return:", coroutine.status(co))
