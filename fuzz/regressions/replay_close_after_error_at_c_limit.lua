-- Regression (found by lua_differential_fuzzer, reduced): to-be-closed variables of a coroutine
-- that died by error at the C-stack limit. A wrap (like coroutine.close) closes the pending
-- variables of a coroutine that died by error; in Lua 5.4.4, lua_resetthread runs those __close
-- calls at the dead coroutine's own nCcalls, which is still the value from where the error was
-- raised, so at the limit they fail again with "C stack overflow" and never run. (Later 5.4
-- releases close through lua_closethread(co, from), which takes nCcalls from the caller first:
-- there they would run. Not checked here: only 5.4.4 is installed.)
-- jmpco-replay runs them at the caller's level: for n = 196 it prints
--   close	a	replay_close_after_error_at_c_limit.lua:21: C stack overflow
-- (the line of `local b`), which lua5.4 5.4.4 does not print.
local function tbc(tag)
  return setmetatable({}, {__close = function(_, e) print('close', tag, e) end})
end
local function wchain(n, f)
  if n <= 0 then return f() end
  return coroutine.wrap(wchain)(n - 1, f)
end
for n = 195, 196 do
  local ok, msg = pcall(wchain, n, function()
    local a <close> = tbc('a')
    do
      local b <close> = tbc('b')
    end
  end)
  print(n, ok, type(msg) == 'string' and string.sub(msg, -16) or msg)
end
