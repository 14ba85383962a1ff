-- After a pcall inside a coroutine catches an error, the __close handlers between them run one level above the coroutine's resume base, whatever C levels the error passed through; afterwards the code goes on at the base.
local function depth()
  local function chain(n)
    local ok, r = coroutine.resume(coroutine.create(chain), n + 1)
    if not ok then return n end
    return r
  end
  return chain(0)
end
local function tbc(tag)
  return setmetatable({}, {__close = function() print("close", tag, depth()) end})
end
print("main", depth())
coroutine.wrap(function()
  print("coroutine body", depth())
  print(pcall(function()
    print("inside pcall", depth())
    local a <close> = tbc("a")
    pcall(pcall, pcall, function() local b <close> = tbc("b"); error("x") end)
    print("after the inner pcalls", depth())
    error("y")
  end))
  print("after pcall", depth())
end)()
