-- After yielding, a coroutine is "suspended" again; after finishing, "dead".
local co = coroutine.create(function()
  coroutine.yield()
  coroutine.yield()
end)
for i = 1, 4 do
  local ok = coroutine.resume(co)
  print(i, ok, coroutine.status(co))
end
