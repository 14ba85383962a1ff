-- An uncaught table error from a wrap function is reported as "(error object is a table value)".
local f = coroutine.wrap(function() error({}) end)
print("calling")
f()
