-- An error in t[k] inside a coroutine is reported at the line of the ']', not at the line of the next token.
local co = coroutine.wrap(function()
  local missing = nil
  local v = missing[1]
  coroutine.yield(v)
end)
print(pcall(co))
print(pcall(coroutine.wrap(function()
  local t = setmetatable({}, {__index = function(_, k) error("no " .. k, 2) end})
  local v = t["key"]

  return v
end)))
