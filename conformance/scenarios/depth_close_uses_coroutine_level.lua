-- coroutine.close and a failing wrap run __close handlers at the closed coroutine's own C level (where it was last resumed), not at the level of the code that closes it.
local function depth()
  local function chain(n)
    local ok, r = coroutine.resume(coroutine.create(chain), n + 1)
    if not ok then return n end
    return r
  end
  return chain(0)
end
local function tbc(tag)
  return setmetatable({}, {__close = function(_, e) print("close", tag, e, depth()) end})
end
local function nested(n, f)
  if n == 0 then return f() end
  return coroutine.wrap(nested)(n - 1, f)
end

local deep
nested(100, function()
  deep = coroutine.create(function() local a <close> = tbc("suspended deep"); coroutine.yield() end)
  coroutine.resume(deep)
end)
print("closed from the main chunk:", coroutine.close(deep))

local shallow = coroutine.create(function() local a <close> = tbc("suspended shallow"); coroutine.yield() end)
coroutine.resume(shallow)
nested(100, function() print("closed from level 100:", coroutine.close(shallow)) end)

local dead = coroutine.create(function() local a <close> = tbc("dead"); error("boom") end)
print(coroutine.resume(dead))
nested(50, function() print("closed from level 50:", coroutine.close(dead)) end)

local ok, msg = pcall(nested, 60, function()
  coroutine.wrap(function() local a <close> = tbc("wrap"); error("w") end)()
end)
print(ok, string.sub(msg, -40))
