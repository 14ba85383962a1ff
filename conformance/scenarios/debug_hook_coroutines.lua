-- debug.sethook per thread: a hook set on a coroutine traces only it (across yields and resumes), a new coroutine inherits the mask and count but no function, a yield inside a hook fails as a yield across a C-call boundary
local trace = {}
local co = coroutine.create(function (a)
  local b = coroutine.yield(a + 1)
  return b * 2
end)
debug.sethook(co, function (event, line)
  trace[#trace + 1] = event .. (line and (":" .. line) or "")
end, "crl")
print(debug.gethook())            -- the main thread has none
print(select(2, debug.gethook(co)))
print(coroutine.resume(co, 1))
print(coroutine.resume(co, 5))
print(coroutine.resume(co))
print(table.concat(trace, " "))

-- inherited: the mask and count, not the function
local function noop() end
debug.sethook(noop, "l", 7)
local child = coroutine.create(function () return 1 end)
local wrapped = coroutine.wrap(function () return debug.gethook() end)
debug.sethook()
print(debug.gethook(child))
print(wrapped())
print(debug.gethook())

-- a hook set on the main thread does not see a coroutine's lines
local seen = {}
debug.sethook(function (_, line) seen[#seen + 1] = line end, "l")
local inner = coroutine.wrap(function ()
  local x = 1
  coroutine.yield(x)
  return x + 1
end)
local first = inner()
local second = inner()
debug.sethook()
print(first, second, table.concat(seen, " "))

-- a yield inside a hook, from a coroutine and from the main thread
local results = {}
local yielder = coroutine.create(function ()
  debug.sethook(function (event)
    results[#results + 1] = event .. " " .. select(2, pcall(coroutine.yield, "from hook"))
  end, "l")
  local x = 1
  debug.sethook()
  return "done"
end)
print(coroutine.resume(yielder))
print(table.concat(results, "; "))
debug.sethook(function (event)
  debug.sethook()
  print(event, pcall(coroutine.yield))
end, "l")
local after = 1

-- the hook of a coroutine runs while another thread resumed it from inside its own hook
local log = {}
local worker = coroutine.create(function ()
  coroutine.yield(1)
  return 2
end)
debug.sethook(worker, function (e) log[#log + 1] = "worker " .. e end, "cr")
debug.sethook(function (e)
  if coroutine.status(worker) == "suspended" then
    log[#log + 1] = "main " .. e .. " resumes"
    coroutine.resume(worker)
  end
end, "r")
local function ret() return 0 end
ret()
ret()
ret()
debug.sethook()
print(table.concat(log, ", "))
