-- <const> locals can be read and captured across yields; their values never change.
local co = coroutine.wrap(function()
  local limit <const> = 3
  local name <const> = "k"
  local function show() return name .. limit end
  for i = 1, limit do coroutine.yield(show() .. ":" .. i) end
  return limit * 2
end)
for _ = 1, 4 do print(co()) end
