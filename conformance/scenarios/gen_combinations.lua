-- A recursive generator yields all 3-element combinations of 5 numbers in lexicographic order.
local function comb(items, k)
  return coroutine.wrap(function()
    local chosen = {}
    local function pick(start, depth)
      if depth > k then coroutine.yield(table.concat(chosen, "")) return end
      for i = start, #items do
        chosen[depth] = items[i]
        pick(i + 1, depth + 1)
      end
    end
    pick(1, 1)
  end)
end
local n = 0
for c in comb({1, 2, 3, 4, 5}, 3) do n = n + 1 print(n, c) end
