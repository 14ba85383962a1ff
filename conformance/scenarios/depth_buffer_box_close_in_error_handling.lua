-- While a message handler runs past the C limit, closing the box of a library result longer than lauxlib's 1024-byte buffer takes one more C level too: at Lua's error-handling limit a long result ends in "error in error handling" where a 1024-byte one does not.
local function deep(n, f)
  if n == 0 then return f() end
  local ok, r = pcall(deep, n - 1, f)
  return r
end
local function overflow() return string.gsub("a", "a", overflow) end
for k = 17, 19 do
  for _, len in ipairs({1024, 1025}) do
    print(k, len, xpcall(overflow, function()
      return deep(k, function() return #string.rep("x", len) end)
    end))
  end
end
