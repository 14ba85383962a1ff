-- A pcall inside a coroutine catches the error; the coroutine itself stays alive.
local co = coroutine.create(function()
  local ok, e = pcall(error, "caught inside")
  print("pcall:", ok, e)
  coroutine.yield("alive")
  return "done"
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))
