-- pcall catches the error of a coroutine closing itself; from the main chunk, pcall(coroutine.close, co) on the suspended coroutine returns true, true.
local co
co = coroutine.create(function()
  print(pcall(coroutine.close, co))
  coroutine.yield()
end)
coroutine.resume(co)
print(pcall(coroutine.close, co))
print(coroutine.status(co))
