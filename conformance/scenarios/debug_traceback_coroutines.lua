-- debug.traceback as text: of a suspended coroutine, of the running one, of the main thread from inside a coroutine, with messages, levels and skipped levels
local function deep(n)
  if n == 0 then
    coroutine.yield("bottom")
  else
    deep(n - 1)
  end
  return n
end

local co = coroutine.create(function () deep(3) end)
print(coroutine.resume(co))
print(debug.traceback(co))
print(debug.traceback(co, "with a message"))
print(debug.traceback(co, "from level 2", 2))
print(debug.traceback(co, 42))
print(debug.traceback(co, {}) ~= nil, type(debug.traceback(co, {})))

local long = coroutine.create(function () deep(40) end)
coroutine.resume(long)
print(debug.traceback(long, "long"))

-- inside a wrap, the running coroutine and the main thread behind it
local main = coroutine.running()
local w = coroutine.wrap(function (tag)
  print(debug.traceback(tag))
  print(debug.traceback(main, "main is normal"))
  coroutine.yield()
end)
w("running")

-- as a message handler, from an error deep in a coroutine
local failing = coroutine.create(function ()
  local ok, msg = xpcall(function () local t = nil; return t.field end, debug.traceback)
  coroutine.yield(msg)
end)
print(coroutine.resume(failing))
print(debug.traceback(coroutine.create(print), "never started"))
print(coroutine.resume(co))
print(debug.traceback(co, "dead"))
