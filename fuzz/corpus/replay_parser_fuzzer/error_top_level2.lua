-- An uncaught error with level 2 at top level points at the line of the caller.
local function check(v)
  if not v then error("caller is blamed", 2) end
end
check(true)
check(false)
