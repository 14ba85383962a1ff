-- A coroutine last resumed near the C limit cannot run its __close handlers when it is closed or dies there: calling them fails with "C stack overflow" (no position: Lua calls them from C), and a later handler error replaces an earlier one.
local function nested(n, f)
  if n == 0 then return f() end
  return coroutine.wrap(nested)(n - 1, f)
end
local function tbc(tag)
  return setmetatable({}, {__close = function(_, e) print("close", tag, e) end})
end
for n = 194, 196 do
  local top
  nested(n, function()
    top = coroutine.create(function()
      local a <close> = tbc("a")
      local b <close> = tbc("b")
      coroutine.yield()
    end)
    print(n, "resume:", coroutine.resume(top))
  end)
  print(n, "close:", coroutine.close(top))
end
for n = 194, 197 do
  local ok, msg = pcall(nested, n, function()
    local a <close> = tbc("a")
    do
      local b <close> = tbc("b")
    end
  end)
  print(n, ok, type(msg) == "string" and string.sub(msg, -16) or msg)
end
