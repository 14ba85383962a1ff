-- The fourth value of a generic for is closed when the loop ends, including by break, inside a coroutine.
local function closing(name)
  return setmetatable({}, {__close = function() print("closing value of", name) end})
end
local co = coroutine.wrap(function()
  for i in coroutine.wrap(function() for k = 1, 3 do coroutine.yield(k) end end), nil, nil, closing("full loop") do
    coroutine.yield("full " .. i)
  end
  for i in coroutine.wrap(function() for k = 1, 3 do coroutine.yield(k) end end), nil, nil, closing("broken loop") do
    if i == 2 then break end
    coroutine.yield("broken " .. i)
  end
  return "done"
end)
for _ = 1, 5 do print(co()) end
