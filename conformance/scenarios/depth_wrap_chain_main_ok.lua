-- A chain of 197 nested wrap calls made directly from the main chunk succeeds.
local function make(limit)
  local function level(n)
    if n == limit then return n end
    return coroutine.wrap(level)(n + 1)
  end
  return coroutine.wrap(level)
end
print(make(197)(1))
