-- An error inside a __close handler run by wrap replaces the original error.
local f = coroutine.wrap(function()
  local a <close> = setmetatable({}, {__close = function(_, e)
    print("handler sees", e)
    error("close failed", 0)
  end})
  error("original", 0)
end)
print(pcall(f))
