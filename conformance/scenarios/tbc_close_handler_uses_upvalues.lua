-- __close handlers see the current values of the coroutine's upvalues when run by coroutine.close.
local counter = 0
local co = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function() print("counter at close:", counter) end})
  while true do
    counter = counter + 1
    coroutine.yield(counter)
  end
end)
for _ = 1, 3 do print(coroutine.resume(co)) end
print(coroutine.close(co))
