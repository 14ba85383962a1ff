-- Each yield returns exactly the arguments of the resume that continued it.
local co = coroutine.create(function()
  local log = {}
  for i = 1, 3 do
    local a, b = coroutine.yield(i)
    log[#log + 1] = tostring(a) .. "/" .. tostring(b)
  end
  return table.concat(log, " ")
end)
coroutine.resume(co)
coroutine.resume(co, "p", "q")
coroutine.resume(co, 1)
print(coroutine.resume(co, nil, 2.5))
