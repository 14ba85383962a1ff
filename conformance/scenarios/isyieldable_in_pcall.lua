-- Inside pcall within a coroutine, coroutine.isyieldable is still true (Lua 5.4 can yield across pcall).
local co = coroutine.wrap(function()
  print(pcall(function() return coroutine.isyieldable() end))
  print(pcall(coroutine.isyieldable))
end)
co()
