-- A wrap function calling itself from its own body fails with a prefixed "cannot resume non-suspended coroutine".
local f
f = coroutine.wrap(function()
  local ok, e = pcall(f)
  print("self call:", ok, e)
  return "survived"
end)
print(f())
