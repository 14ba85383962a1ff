-- A recursive generator yields all subsets of a set (include/exclude recursion).
local function subsets(items)
  return coroutine.wrap(function()
    local cur = {}
    local function go(i)
      if i > #items then coroutine.yield("{" .. table.concat(cur, ",") .. "}") return end
      go(i + 1)
      cur[#cur + 1] = items[i]
      go(i + 1)
      cur[#cur] = nil
    end
    go(1)
  end)
end
for s in subsets({"a", "b", "c"}) do print(s) end
