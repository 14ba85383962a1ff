-- An uncaught error("x") at top level carries the script name and line.
local function fail() error("positioned") end
fail()
