-- An index error in an expression split over lines carries the line where Lua emits the access: where the value is first used (the operator after it, the ',' or ')' after an argument, 'then'), or the method name for a method lookup.
local t = {}
local function try(f)
  print(coroutine.resume(coroutine.create(f)))
end
try(function()
  return t.x.y
    + 1
end)
try(function()
  return print(t.x.y
  )
end)
try(function()
  return select("#", t.x.y
    , 2)
end)
try(function()
  if t.x.y
  then return 1 end
end)
try(function()
  return t.x
    :method()
end)
try(function()
  local v = { t.x.y
  }
  return v
end)
try(function()
  local v = (t.x.y
  )
  return v
end)
try(function()
  return t.x.y ..
    "s"
end)
