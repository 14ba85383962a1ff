-- A producer -> filter -> consumer pipeline where the filter numbers the lines it passes on.
local function producer(lines)
  return coroutine.create(function()
    for _, l in ipairs(lines) do coroutine.yield(l) end
  end)
end
local function receive(prod)
  local ok, v = coroutine.resume(prod)
  return v
end
local function filter(prod)
  return coroutine.create(function()
    local n = 1
    while true do
      local x = receive(prod)
      if x == nil then return end
      coroutine.yield(string.format("%5.1f %s", n, x))
      n = n + 1
    end
  end)
end
local p = filter(producer({"alpha", "beta", "gamma"}))
while true do
  local line = receive(p)
  if line == nil then break end
  print(line)
end
