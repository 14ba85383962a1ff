-- coroutine.isyieldable is true inside a coroutine body and in functions it calls.
local co = coroutine.create(function()
  print("body:", coroutine.isyieldable())
  local function g() return coroutine.isyieldable() end
  print("nested:", g())
end)
coroutine.resume(co)
