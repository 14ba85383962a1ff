-- A pcall that yields twice inside a coroutine returns true followed by the function's return values.
local co = coroutine.create(function()
  return pcall(function()
    local a = coroutine.yield("first")
    local b = coroutine.yield("second")
    return a, b, nil
  end)
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "A"))
print(select('#', coroutine.resume(co, "B")))
