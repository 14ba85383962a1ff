-- pcall inside a coroutine catches errors of every type and returns them unchanged.
local t = {}
local co = coroutine.wrap(function()
  print(pcall(error, "s", 0))
  print(pcall(error, 12))
  print(pcall(error, nil))
  print(pcall(error, false))
  local ok, e = pcall(error, t)
  print(ok, e == t)
  return "body survived"
end)
print(co())
