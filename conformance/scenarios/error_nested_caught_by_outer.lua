-- An error in an inner coroutine is returned to the outer coroutine's resume; the outer keeps running.
local outer = coroutine.create(function()
  local inner = coroutine.create(function() error("inner broke", 0) end)
  local ok, e = coroutine.resume(inner)
  print("outer saw", ok, e)
  coroutine.yield("outer continues")
  return "outer done"
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
