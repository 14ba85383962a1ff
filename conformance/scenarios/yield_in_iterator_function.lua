-- A yield inside a Lua iterator function called by generic for suspends the whole coroutine.
local function iter(state, i)
  i = i + 1
  if i > state.n then return nil end
  coroutine.yield("iterating " .. i)
  return i, i * state.mult
end
local co = coroutine.wrap(function()
  local sum = 0
  for i, v in iter, {n = 3, mult = 5}, 0 do
    sum = sum + v
  end
  return "sum " .. sum
end)
for _ = 1, 4 do print(co()) end
