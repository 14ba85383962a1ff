-- Zero values can flow both ways: resume with no arguments, yield with none, return none.
local co = coroutine.create(function(...)
  print("params", select('#', ...))
  print("yield got", select('#', coroutine.yield()))
end)
print("resume got", select('#', coroutine.resume(co)))
print("resume got", select('#', coroutine.resume(co)))
