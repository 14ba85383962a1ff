-- A recursive generator flattens arbitrarily nested arrays.
local function flatten(t)
  return coroutine.wrap(function()
    local function go(x)
      if type(x) == "table" then
        for _, v in ipairs(x) do go(v) end
      else
        coroutine.yield(x)
      end
    end
    go(t)
  end)
end
local out = {}
for v in flatten({1, {2, {3, {4, {5}}}, 6}, {{{7}}}, 8}) do out[#out + 1] = v end
print(table.concat(out, ","))
