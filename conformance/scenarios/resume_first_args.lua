-- The arguments of the first coroutine.resume become the parameters of the body.
local co = coroutine.create(function(a, b, c)
  print("body got", a, b, c)
  return a + b + c
end)
print(coroutine.resume(co, 1, 2, 3))
