-- A yield with no values makes resume return only true; a resume with no values makes yield return nothing.
local co = coroutine.create(function()
  print("yield returned", select('#', coroutine.yield()))
  print("yield returned", select('#', coroutine.yield()))
end)
print(select('#', coroutine.resume(co)))
print(select('#', coroutine.resume(co)))
print(select('#', coroutine.resume(co)))
