-- An error object raised after a yield inside pcall is the same object pcall returns.
local obj = {}
local co = coroutine.wrap(function()
  local ok, e = pcall(function()
    coroutine.yield("suspended inside pcall")
    error(obj)
  end)
  return ok, e == obj
end)
print(co())
print(co())
