-- Yielding inside the body of a generic for over ipairs keeps the iteration state.
local items = {"a", "b", "c", "d"}
local co = coroutine.create(function()
  for i, v in ipairs(items) do
    coroutine.yield(i, v)
  end
end)
while true do
  local ok, i, v = coroutine.resume(co)
  if i == nil then print("end", ok, coroutine.status(co)) break end
  print(ok, i, v)
end
