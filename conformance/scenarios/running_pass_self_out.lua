-- A coroutine can yield its own thread object out; the resumer can use it to inspect and resume.
local co = coroutine.create(function()
  local me = coroutine.running()
  local v = coroutine.yield(me)
  return "got " .. v
end)
local ok, me = coroutine.resume(co)
print(ok, me == co, coroutine.status(me))
print(coroutine.resume(me, "via yielded handle"))
