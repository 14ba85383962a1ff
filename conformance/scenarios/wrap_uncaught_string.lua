-- A string error from a wrap function called at top level is uncaught: exit status 1 with both positions.
local f = coroutine.wrap(function()
  coroutine.yield("first")
  error("second call fails")
end)
print(f())
f()
print("not reached")
