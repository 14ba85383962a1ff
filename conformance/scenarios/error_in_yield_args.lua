-- An error raised while computing yield arguments kills the coroutine before it yields.
local co = coroutine.create(function()
  local function bad() error("while computing", 0) end
  coroutine.yield(1, bad(), 3)
  return "unreachable"
end)
print(coroutine.resume(co))
print(coroutine.status(co))
