-- return hooks and to-be-closed variables: a function's return event comes after its variables are closed (each handler's own events first), a hook set by a __close handler, hooks in handlers run by coroutine.close, debug.traceback inside a hook
local function closing(fn)
  return setmetatable({}, {__close = fn})
end

local trace = {}
local function hook(event)
  trace[#trace + 1] = event .. " " .. tostring(debug.getinfo(2, "n").name)
end

local function returns_many(...)
  local first <close> = closing(function () trace[#trace + 1] = "first closed" end)
  local second <close> = closing(function () debug.sethook(hook, "cr") end)
  return ...
end
print(returns_many("a", "b", "c"))
debug.sethook()
print(table.concat(trace, ", "))

-- coroutine.close runs the pending handlers with the coroutine's hook
local events = {}
local co = coroutine.create(function ()
  local v <close> = closing(function (_, err) events[#events + 1] = "handler " .. tostring(err) end)
  coroutine.yield()
end)
coroutine.resume(co)
debug.sethook(co, function (e)
  local info = debug.getinfo(2, "nS")
  events[#events + 1] = e .. " " .. info.what .. " " .. tostring(info.name)
end, "cr")
print(coroutine.close(co))
print(table.concat(events, ", "))

-- a traceback taken inside a hook shows the hook and the hooked function
local function traced()
  return 1
end
local text
debug.sethook(function (e)
  if e == "call" and debug.getinfo(2, "f").func == traced then
    text = debug.traceback("in hook", 1)
  end
end, "c")
traced()
debug.sethook()
print(text)
