-- Error messages built from numbers and strings keep Lua's number formatting.
local co = coroutine.create(function(a, b)
  error("values " .. a .. " " .. b .. " " .. a / 2, 0)
end)
print(coroutine.resume(co, 3, 2.0))
