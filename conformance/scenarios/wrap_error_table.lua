-- A table error raised through a wrap function arrives unchanged (same table, no prefix).
local obj = {reason = "table error"}
local f = coroutine.wrap(function() error(obj) end)
local ok, e = pcall(function() f() end)
print(ok, type(e), e == obj, e.reason)
