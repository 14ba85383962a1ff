-- Regression (found by lua_differential_fuzzer): in Lua 5.4.4 an error caught by pcall inside a
-- coroutine makes the coroutine forget the C levels of the pcall/xpcall calls around that pcall.
-- lua_resume runs the coroutine under luaD_rawrunprotected, which restores nCcalls to the
-- resume's base when the error longjmps there; precover/unroll then finish the interrupted
-- (yieldable) pcall and xpcall through their continuations, which never take their level back
-- off. So after `pcall(error, 'x')` inside an xpcall inside a coroutine, one more coroutine can be
-- nested before "C stack overflow". jmpco-replay keeps counting the xpcall's level.
-- lua5.4 prints 195 and 196; jmpco-replay prints 195 and 195 (lua5.4 5.4.4, Debian 12).
local function go(n)
  local ok, r = coroutine.resume(coroutine.create(go), n + 1)
  if not ok then return n end
  return r
end
print(coroutine.wrap(function()
  return select(2, xpcall(function() return go(0) end, print))
end)())
print(coroutine.wrap(function()
  return select(2, xpcall(function()
    pcall(error, 'x')
    return go(0)
  end, print))
end)())
