-- string.format with %d %s %q %5.1f %% applied to values passed through coroutines.
local co = coroutine.wrap(function()
  coroutine.yield(42, "text", "a \"quoted\"\nline", 3.14159)
end)
local n, s, q, f = co()
print(string.format("%d|%s|%q|%5.1f|%%", n, s, q, f))
print(string.format("%5.1f%%", 99.94))
