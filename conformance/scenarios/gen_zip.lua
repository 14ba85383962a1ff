-- Two generators are advanced in lockstep; zipping stops at the shorter one.
local function from(t) return coroutine.wrap(function() for _, v in ipairs(t) do coroutine.yield(v) end end) end
local function zip(g1, g2)
  return coroutine.wrap(function()
    while true do
      local a, b = g1(), g2()
      if a == nil or b == nil then return end
      coroutine.yield(a, b)
    end
  end)
end
for a, b in zip(from({"x", "y", "z", "w"}), from({1, 2, 3})) do print(a, b) end
