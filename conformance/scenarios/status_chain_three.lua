-- In a chain main -> c1 -> c2 -> c3, every thread's status as seen from c3 and after unwinding.
local main = coroutine.running()
local c1, c2, c3
local function report(where)
  print(where, coroutine.status(main), coroutine.status(c1), coroutine.status(c2), coroutine.status(c3))
end
c3 = coroutine.create(function() report("in c3:") coroutine.yield() report("c3 again:") end)
c2 = coroutine.create(function() coroutine.resume(c3) report("in c2:") coroutine.yield() coroutine.resume(c3) report("c2 end:") end)
c1 = coroutine.create(function() coroutine.resume(c2) report("in c1:") end)
coroutine.resume(c1)
report("main 1:")
coroutine.resume(c2)
report("main 2:")
