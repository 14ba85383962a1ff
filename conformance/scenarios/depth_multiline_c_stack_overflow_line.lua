-- Regression (found by lua_differential_fuzzer, reduced): the same line difference as
-- error_multiline_statement_line.lua, with "C stack overflow" raised at the deepest level of
-- a resume chain. lua5.4 5.4.4 reports line 31 (the `end)` closing the function passed to
-- coroutine.create); jmpco-replay reports line 30 (`C[1] = coroutine.create(...`).
local function show(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    local t = type(v)
    if t == 'string' or t == 'number' or t == 'boolean' or t == 'nil' then
      parts[#parts + 1] = tostring(v)
    end
  end
  return n .. ':' .. table.concat(parts, ',')
end
local C = {}
local function chain(n, f, ...)
  if n <= 0 then return 'bottom', f(...) end
  local ok, a, b = coroutine.resume(coroutine.create(chain), n - 1, f, ...)
  return a, b
end
local function tbc(tag)
  return setmetatable({}, {__close = function(_, e) print('close', tag, show(e)) end})
end
print('chain', show(chain(197, function(...)
  print('chain', show(chain(0, function(...)
    do
      local t41 <close> = tbc(41)
      C[1] = coroutine.create(function(...)
      end)
    end
  end, nil)))
end, nil)))
