-- Calling a finished wrap function at top level ends the script with the dead-coroutine error.
local f = coroutine.wrap(function() return 1 end)
print(f())
print(f())
