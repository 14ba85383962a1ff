-- Nested coroutine.resume from the main chunk: 197 levels run; the resume issued from level 197 returns false, "C stack overflow" and that coroutine is dead.
local deepest, failed_from, failed_ok, failed_msg, failed_status = 0
local function level(n)
  deepest = n
  local child = coroutine.create(level)
  local ok, msg = coroutine.resume(child, n + 1)
  if not ok and failed_from == nil then
    failed_from, failed_ok, failed_msg, failed_status = n, ok, msg, coroutine.status(child)
  end
  return n
end
print(coroutine.resume(coroutine.create(level), 1))
print("deepest level reached:", deepest)
print("failing resume issued from level:", failed_from)
print("it returned:", failed_ok, failed_msg)
print("status of the coroutine it tried to start:", failed_status)
