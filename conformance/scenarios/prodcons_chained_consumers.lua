-- A push pipeline: each stage is a coroutine that receives values and forwards transformed values to the next.
local function sink()
  return coroutine.create(function(v)
    while true do print("sink", v) v = coroutine.yield() end
  end)
end
local function mapper(f, nxt)
  return coroutine.create(function(v)
    while true do coroutine.resume(nxt, f(v)) v = coroutine.yield() end
  end)
end
local pipeline = mapper(function(x) return x + 1 end, mapper(function(x) return x * 10 end, sink()))
for i = 1, 4 do coroutine.resume(pipeline, i) end
