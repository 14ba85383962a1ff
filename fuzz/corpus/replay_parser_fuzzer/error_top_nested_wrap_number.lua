-- An uncaught number error passing through a wrap function at top level keeps the bare number.
local f = coroutine.wrap(function() error(7) end)
f()
