-- A round-robin scheduler runs tasks that yield; finished tasks are removed from the queue.
local queue = {}
local function spawn(name, steps)
  queue[#queue + 1] = {name = name, co = coroutine.create(function()
    for i = 1, steps do coroutine.yield(name .. " step " .. i) end
    return name .. " finished"
  end)}
end
spawn("A", 3) spawn("B", 1) spawn("C", 2)
while #queue > 0 do
  local task = queue[1]
  local rest = {}
  for i = 2, #queue do rest[#rest + 1] = queue[i] end
  local ok, msg = coroutine.resume(task.co)
  print(msg)
  if coroutine.status(task.co) ~= "dead" then rest[#rest + 1] = task end
  queue = rest
end
