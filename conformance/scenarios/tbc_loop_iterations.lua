-- A to-be-closed variable declared in a loop body is closed at the end of every iteration and on break.
local co = coroutine.wrap(function()
  for i = 1, 5 do
    local r <close> = setmetatable({}, {__close = function() print("close iteration", i) end})
    if i == 3 then break end
    coroutine.yield(i)
  end
  return "loop left"
end)
print(co())
print(co())
print(co())
