-- A string error re-raised by a wrap function gets the caller's position prepended (on top of error's own position).
local f = coroutine.wrap(function()
  error("wrapped failure")
end)
local ok, e = pcall(function()
  return f()
end)
print(ok, e)
