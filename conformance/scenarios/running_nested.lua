-- Each coroutine in a nested chain sees itself as the running coroutine; control returning restores the previous one.
local main = coroutine.running()
local a, b
b = coroutine.create(function()
  print("in b:", coroutine.running() == b)
end)
a = coroutine.create(function()
  print("in a:", coroutine.running() == a)
  coroutine.resume(b)
  print("back in a:", coroutine.running() == a)
end)
coroutine.resume(a)
print("back in main:", coroutine.running() == main)
