-- Ordinary number values print the same after crossing a coroutine: 1.0, 0.5, 1e15, -0.0, integers.
local co = coroutine.wrap(function()
  coroutine.yield(1.0, 0.5, 1e15, -0.0, 10 / 2, 3 // 2, 2 ^ 10, -7 % 3, 7 % -3, 1e3)
end)
print(co())
print(tostring(1e15), tonumber("  12  "), tonumber("1e2"), tonumber("z"))
