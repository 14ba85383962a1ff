-- When a wrapped coroutine raises, wrap closes its pending to-be-closed variables before re-raising.
local log = {}
local function res(name)
  return setmetatable({}, {__close = function(_, e) log[#log + 1] = name .. ":" .. tostring(e) end})
end
local f = coroutine.wrap(function()
  local a <close> = res("a")
  local b <close> = res("b")
  coroutine.yield("holding a and b")
  error("fail", 0)
end)
print(f())
print(pcall(f))
print(table.concat(log, " "))
