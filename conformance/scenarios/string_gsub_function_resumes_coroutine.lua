-- A gsub replacement function may resume another coroutine (resuming is allowed where yielding is not); the resumed coroutine's values become the replacements.
local counter = coroutine.wrap(function()
  local n = 0
  while true do
    n = n + 1
    coroutine.yield("<" .. n .. ">")
  end
end)
print(string.gsub("a-b-c-d", "%-", function() return counter() end))

-- The resumed coroutine yields nil and false: the match is kept.
local picks = coroutine.create(function()
  coroutine.yield("X")
  coroutine.yield(nil)
  coroutine.yield(false)
  coroutine.yield(42)
  return "last"
end)
print(("abcdef"):gsub(".", function(c)
  local ok, v = coroutine.resume(picks)
  return v
end))
print(coroutine.status(picks))

-- Inside a coroutine, a replacement function resumes a third coroutine that yields from a loop.
local outer = coroutine.wrap(function(text)
  local inner = coroutine.wrap(function()
    for i = 1, 3 do coroutine.yield(i * 10) end
    return 0
  end)
  local s, n = text:gsub("%d", function() return inner() end, 3)
  coroutine.yield(s, n)
  return "outer done"
end)
print(outer("1 2 3 4"))
print(outer())
