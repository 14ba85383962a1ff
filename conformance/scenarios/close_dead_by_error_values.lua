-- coroutine.close returns error values of any type (nil, false, numbers) as the second result.
local function died_with(v)
  local co = coroutine.create(function() error(v) end)
  coroutine.resume(co)
  local r = table.pack(coroutine.close(co))
  print(r.n, r[1], r[2], type(r[2]))
end
died_with(nil)
died_with(false)
died_with(17)
died_with(0.25)
died_with("text")
