-- error("msg") inside a coroutine gets the position of the error call; resume returns false and that string.
local co = coroutine.create(function()
  local x = 1
  error("level one")
end)
print(coroutine.resume(co))
