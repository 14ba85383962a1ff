-- A coroutine 40 frames deep resumes another coroutine that recurses 40 frames and yields; both stacks stay intact.
local inner = coroutine.create(function()
  local function down(n)
    if n == 0 then
      local v = coroutine.yield("inner bottom")
      return v
    end
    return down(n - 1) + 1
  end
  return down(40)
end)
local outer = coroutine.create(function()
  local function down(n)
    if n == 0 then
      local ok, v = coroutine.resume(inner)
      coroutine.yield(v)
      local ok2, v2 = coroutine.resume(inner, 1000)
      return v2
    end
    return down(n - 1) + 1
  end
  return down(40)
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
print(coroutine.status(inner), coroutine.status(outer))
