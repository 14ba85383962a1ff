-- load's parser counts its nesting levels on from the C level it runs at: near the limit (deep resume chains, pcall) a chunk that parses elsewhere fails with "C stack overflow".
local function chain(n)
  if n == 0 then
    local f, msg = load("return 1")
    return type(f), msg
  end
  return select(2, coroutine.resume(coroutine.create(chain), n - 1))
end
for _, n in ipairs{190, 195, 196, 197} do print(n, chain(n)) end
local function nested(depth) return "return " .. string.rep("(", depth) .. "1" .. string.rep(")", depth) end
print(type(load(nested(190))))
print(pcall(function () return type(load(nested(190))) end))
print(pcall(load, nested(195)))
print(coroutine.wrap(function () local f, m = load(nested(195)) return type(f), m end)())
