-- coroutine.close returns string errors of levels 0, 1 and 2 exactly as resume reported them.
local function thrower(level) error("lvl" .. level, level) end
for level = 0, 2 do
  local co = coroutine.create(function() thrower(level) end)
  local _, from_resume = coroutine.resume(co)
  local ok, from_close = coroutine.close(co)
  print(level, from_resume, ok, from_close, from_resume == from_close)
end
