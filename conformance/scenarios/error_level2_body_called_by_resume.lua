-- error level 2 in a coroutine body points at its caller, which is resume itself, so no position is added.
local co = coroutine.create(function()
  error("blame the resumer", 2)
end)
print(coroutine.resume(co))
local f = coroutine.wrap(function() error("blame via wrap", 2) end)
print(pcall(function() f() end))
