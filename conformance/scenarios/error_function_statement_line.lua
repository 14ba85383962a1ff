-- A `function a.b.c() ... end` statement stores its function at the line of `function` (lparser.c's funcstat), so errors and __newindex handlers of that store report that line, also inside coroutines.
a = {}
print(pcall(load("function a.x.y ()\na = a + 1\nend")))
local guarded = setmetatable({}, {__newindex = function(_, k) error("no " .. k, 2) end})
print(pcall(load("local t = ...\nfunction t.f()\nreturn 1\nend", "=field"), guarded))
print(pcall(load("local t = ...\nfunction t:m(x,\ny)\nreturn x\nend", "=method"), guarded))
local line
setmetatable(_G, {__newindex = function(t, k, v)
  line = debug.getinfo(2, "l").currentline
  rawset(t, k, v)
end})
load("function\nnew_global()\nend", "=global")()
setmetatable(_G, nil)
print(line, type(new_global))
local co = coroutine.create(function()
  coroutine.yield("started")
  function missing_table.f()
    return 1
  end
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
local w = coroutine.wrap(function() function a.deeper.still()
  end end)
print(pcall(w))
