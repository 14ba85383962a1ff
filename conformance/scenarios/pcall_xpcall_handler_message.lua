-- An xpcall handler inside a coroutine receives the positioned error message and its result becomes xpcall's.
local co = coroutine.create(function()
  local ok, h = xpcall(function() error("failed here") end, function(m) return "handled<" .. m .. ">" end)
  coroutine.yield(ok, h)
  return xpcall(function(a, b) return a + b end, print, 2, 3)
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
