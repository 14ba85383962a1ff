-- tostring and tonumber on values yielded by a coroutine.
local co = coroutine.wrap(function()
  coroutine.yield("17", "3.5", "abc", 8, true, nil)
end)
local a, b, c, d, e, f = co()
print(tonumber(a) + 1, tonumber(b) * 2, tonumber(c), tostring(d) .. "!", tostring(e), tostring(f))
