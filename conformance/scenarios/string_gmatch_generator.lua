-- string.gmatch drives a coroutine generator: the for loop over gmatch's iterator yields each word to the consumer, which stops early.
local function words(text)
  return coroutine.wrap(function()
    local n = 0
    for word, at in string.gmatch(text, "(%a+)()") do
      n = n + 1
      coroutine.yield(n, word, at)
    end
    return "done after " .. n
  end)
end

local gen = words("the quick brown fox, jumps over; the lazy dog")
for i = 1, 4 do print(gen()) end

local all = words("one two  three")
print(all())
print(all())
print(all())
print(all())
print(pcall(all))

-- gmatch's init argument (new in 5.4) and a negative init.
for k, v in ("a=1, b=22, c=333"):gmatch("(%w+)=(%w+)", 6) do print(k, v) end
for d in ("12345"):gmatch("%d", -2) do print("tail digit", d) end
-- An empty match right after a match is skipped, as in Lua.
local parts = {}
for p in ("abc"):gmatch("%a*") do parts[#parts + 1] = "[" .. p .. "]" end
print(table.concat(parts))
