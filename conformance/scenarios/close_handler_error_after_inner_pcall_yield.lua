-- A coroutine suspended in a pcall inside an xpcall: when coroutine.close runs a __close handler that fails, no message handler applies (Lua keeps the error function of the innermost protected call at the yield, and pcall has none).
local co = coroutine.create(function()
  xpcall(function()
    local c <close> = setmetatable({}, {__close = function() error("close err", 0) end})
    pcall(coroutine.yield, "suspended")
  end, function(m) return "handled: " .. m end)
end)
print(coroutine.resume(co))
print(coroutine.close(co))
