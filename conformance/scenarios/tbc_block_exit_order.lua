-- To-be-closed variables in a coroutine are closed at block exit in reverse order, with a nil error.
local function res(name)
  return setmetatable({name = name}, {__close = function(o, e) print("close", o.name, e) end})
end
local co = coroutine.wrap(function()
  do
    local a <close> = res("a")
    local b <close> = res("b")
    coroutine.yield("in block")
    print("leaving block")
  end
  return "after block"
end)
print(co())
print(co())
