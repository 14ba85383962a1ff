-- When wrap closes a failed coroutine, handlers in several frames run innermost first, all with the error.
local function res(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
local function deeper()
  local d <close> = res("deeper")
  error("deep failure", 0)
end
local f = coroutine.wrap(function()
  local top <close> = res("top")
  deeper()
end)
print(pcall(f))
