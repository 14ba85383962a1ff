-- A yield inside a pcall inside a coroutine crosses the pcall and the pcall still returns normally later.
local co = coroutine.create(function()
  local ok, a, b = pcall(function(x)
    local y = coroutine.yield(x + 1)
    return y * 2, "tail"
  end, 10)
  print("pcall returned", ok, a, b)
  return "body end"
end)
print(coroutine.resume(co))
print(coroutine.resume(co, 21))
