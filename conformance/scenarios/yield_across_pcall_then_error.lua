-- After a yield across pcall, a later error is still caught by that same pcall.
local co = coroutine.create(function()
  local ok, e = pcall(function()
    coroutine.yield("inside pcall")
    error("late error")
  end)
  print("caught:", ok, e)
  coroutine.yield("after pcall")
  return "end"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
