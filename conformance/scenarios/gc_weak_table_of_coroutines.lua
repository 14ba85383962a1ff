-- collectgarbage() empties a weak-keyed table of coroutines nobody else holds: suspended, dead and never started ones alike
collectgarbage("stop")  -- only the explicit collections below run (lua5.4 would also collect on its own)
local registry = setmetatable({}, {__mode = "k"})
local kept = {}

local function count()
  local n = 0
  for _ in pairs(registry) do n = n + 1 end
  return n
end

for i = 1, 9 do
  local co = coroutine.create(function (x)
    local mine = {x}
    coroutine.yield(mine)
    return #mine
  end)
  local kind = i % 3
  if kind == 1 then
    assert(coroutine.resume(co, i))         -- suspended in its body
  elseif kind == 2 then
    assert(coroutine.resume(co, i))
    assert(coroutine.resume(co))            -- dead
  end                                       -- kind 0: never started
  registry[co] = i
  if i > 6 then kept[#kept + 1] = co end
end

print("before", count())
collectgarbage()
print("after", count())
for _, co in ipairs(kept) do
  print(registry[co], coroutine.status(co))
end

kept = nil
collectgarbage()
print("none kept", count())

-- weak values: the same through the value side
local byname = setmetatable({}, {__mode = "v"})
byname.a = coroutine.create(print)
byname.b = coroutine.wrap(function () coroutine.yield() end)
byname.b()
local hold = coroutine.create(function () end)
byname.c = hold
collectgarbage()
print(byname.a, byname.b, byname.c == hold)
