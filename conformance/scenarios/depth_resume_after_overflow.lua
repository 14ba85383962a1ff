-- After a C stack overflow the failed coroutine is dead; retrying fails again, and a new chain from main reaches the same depth.
local function run()
  local deepest, report = 0, nil
  local function level(n)
    deepest = n
    local child = coroutine.create(level)
    local ok, msg = coroutine.resume(child, n + 1)
    if not ok and report == nil then
      local again_ok, again_msg = coroutine.resume(child)
      local fresh_ok, fresh_msg = coroutine.resume(coroutine.create(function() return "fresh" end))
      report = {n, msg, coroutine.status(child), again_ok, again_msg, fresh_ok, fresh_msg}
    end
    return "level " .. n .. " finished"
  end
  print(coroutine.resume(coroutine.create(level), 1))
  print("deepest:", deepest)
  print(table.unpack(report))
end
run()
run()
print("main still works:", coroutine.resume(coroutine.create(function() return "yes" end)))
