-- The same resume chain started inside pcall runs one level less (196): pcall uses one level of the C-call budget.
local deepest, failed_from, failed_msg, failed_status = 0
local function level(n)
  deepest = n
  local child = coroutine.create(level)
  local ok, msg = coroutine.resume(child, n + 1)
  if not ok and failed_from == nil then
    failed_from, failed_msg, failed_status = n, msg, coroutine.status(child)
  end
end
print(pcall(function() return coroutine.resume(coroutine.create(level), 1) end))
print("deepest level reached:", deepest)
print("failing resume issued from level:", failed_from, failed_msg, failed_status)
