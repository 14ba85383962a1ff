-- An error caught by pcall inside a coroutine makes it forget the C levels of the calls around that pcall (Lua 5.4.4 recovers from lua_resume's frame): the enclosing xpcall's level is freed and one more coroutine can be nested.
local function chain(n)
  local ok, r = coroutine.resume(coroutine.create(chain), n + 1)
  if not ok then return n end
  return r
end
print("inside xpcall:", coroutine.wrap(function()
  return select(2, xpcall(function() return chain(0) end, print))
end)())
print("after a caught error:", coroutine.wrap(function()
  return select(2, xpcall(function()
    pcall(error, "x")
    return chain(0)
  end, print))
end)())
print("after the xpcall returns:", coroutine.wrap(function()
  xpcall(function() pcall(error, "x") end, print)
  return chain(0)
end)())
print("in the main thread nothing is forgotten:", select(2, xpcall(function()
  pcall(error, "x")
  return chain(0)
end, print)))
