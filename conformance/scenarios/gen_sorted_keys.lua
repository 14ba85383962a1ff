-- A generator yields a table's string keys in sorted order (sorted by hand, not relying on pairs order).
local function sorted_keys(t)
  return coroutine.wrap(function()
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    for i = 2, #keys do
      local k, j = keys[i], i - 1
      while j >= 1 and keys[j] > k do keys[j + 1] = keys[j] j = j - 1 end
      keys[j + 1] = k
    end
    for _, k in ipairs(keys) do coroutine.yield(k, t[k]) end
  end)
end
for k, v in sorted_keys({pear = 3, apple = 1, fig = 7, kiwi = 2}) do print(k, v) end
