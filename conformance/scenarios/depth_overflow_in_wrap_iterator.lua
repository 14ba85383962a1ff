-- Resume chains whose levels each run a pcall and iterate a wrap generator use two C levels per level; the wrap iterator call overflows first, with a position prefix.
local deepest, failure = 0, nil
local function level(n)
  deepest = n
  local ok, e = pcall(function()
    for _ in coroutine.wrap(function() coroutine.yield(1) end) do
      coroutine.resume(coroutine.create(level), n + 1)
    end
  end)
  if not ok and failure == nil then failure = n .. " -> " .. e end
end
coroutine.resume(coroutine.create(level), 1)
print(deepest)
print(failure)
