-- An error caught by pcall inside a coroutine closes only the to-be-closed variables inside the pcall.
local function res(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
local co = coroutine.create(function()
  local outer <close> = res("outer")
  print(pcall(function()
    local inner <close> = res("inner")
    error("inner failure", 0)
  end))
  coroutine.yield("outer still open")
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
