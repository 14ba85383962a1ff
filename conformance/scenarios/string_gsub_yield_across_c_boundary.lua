-- A yield inside a gsub replacement function or a table replacement's __index fails with "attempt to yield across a C-call boundary": gsub calls them as lua_call does.
local co = coroutine.create(function()
  return string.gsub("abc", "%w", function(c)
    print("in replacement", c, coroutine.isyieldable())
    coroutine.yield(c)
    return "never"
  end)
end)
print(coroutine.resume(co))
print(coroutine.status(co))

-- pcall inside the coroutine catches the failed yield; the coroutine can still yield after it.
local co2 = coroutine.create(function()
  local ok, err = pcall(string.gsub, "x", "x", coroutine.yield)
  print("pcall caught", ok, err)
  coroutine.yield("still yieldable", coroutine.isyieldable())
  return "end"
end)
print(coroutine.resume(co2))
print(coroutine.resume(co2))

-- The same through a table replacement whose __index yields.
local lookup = setmetatable({}, {__index = function(_, k)
  coroutine.yield(k)
  return k
end})
local co3 = coroutine.wrap(function() return ("ab"):gsub(".", lookup) end)
print(pcall(co3))

-- A replacement function that resumes a coroutine which yields is fine.
local inner = coroutine.create(function(x) while true do x = coroutine.yield(x .. x) end end)
print(coroutine.wrap(function()
  return ("xyz"):gsub(".", function(c) return select(2, coroutine.resume(inner, c)) end)
end)())
