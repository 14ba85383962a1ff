-- When a block is left by an error, each __close handler receives that error value (here via pcall inside a coroutine).
local errobj = {}
local co = coroutine.wrap(function()
  local ok, e = pcall(function()
    local r <close> = setmetatable({}, {__close = function(_, err) print("handler got the error object:", err == errobj) end})
    error(errobj)
  end)
  print("pcall:", ok, e == errobj)
  return "done"
end)
print(co())
