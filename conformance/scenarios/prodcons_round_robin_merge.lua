-- Several producers are merged round-robin until all are exhausted.
local function producer(name, n)
  return coroutine.create(function()
    for i = 1, n do coroutine.yield(name .. i) end
  end)
end
local producers = {producer("a", 3), producer("b", 1), producer("c", 2)}
local out = {}
local active = #producers
while active > 0 do
  active = 0
  for _, p in ipairs(producers) do
    if coroutine.status(p) == "suspended" then
      local ok, v = coroutine.resume(p)
      if v ~= nil then out[#out + 1] = v active = active + 1 end
    end
  end
end
print(table.concat(out, " "))
