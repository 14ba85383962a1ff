-- A coroutine resuming itself gets false, "cannot resume non-suspended coroutine".
local co
co = coroutine.create(function()
  local ok, msg = coroutine.resume(co)
  print("inner resume:", ok, msg)
  print("status of self:", coroutine.status(co))
  return "still alive"
end)
print(coroutine.resume(co))
