-- A chain of exactly 197 nested resumes from the main chunk succeeds; asking for 198 fails at the last step.
local function chain(limit)
  local function level(n)
    if n == limit then return "bottom " .. n end
    local ok, v = coroutine.resume(coroutine.create(level), n + 1)
    if not ok then return "failed below " .. n .. ": " .. v end
    return v
  end
  return select(2, coroutine.resume(coroutine.create(level), 1))
end
print(chain(196))
print(chain(197))
print(chain(198))
print(chain(250))
