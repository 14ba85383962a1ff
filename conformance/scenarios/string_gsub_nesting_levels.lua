-- Each gsub replacement call adds one C level: recursive gsub overflows the C stack after the same count in the main chunk, inside pcall and inside coroutines.
local count = 0
local function again()
  count = count + 1
  string.gsub("a", ".", again)
end

local function measure(label, run)
  count = 0
  local ok, err = run()
  print(label, ok, err, count)
end

measure("main", function() return pcall(again) end)
measure("coroutine", function() return coroutine.resume(coroutine.create(again)) end)
measure("wrap", function() return pcall(coroutine.wrap(again)) end)

-- Through a table replacement whose __index recurses.
local t
t = setmetatable({}, {__index = function() count = count + 1 string.gsub("a", ".", t) end})
measure("index", function() return pcall(string.gsub, "a", ".", t) end)

-- A coroutine resumed from inside a replacement function starts one level higher.
local depth = 0
local function nest()
  depth = depth + 1
  local ok, err = coroutine.resume(coroutine.create(function()
    string.gsub("a", ".", nest)
  end))
  if not ok then error(err, 0) end
end
print(pcall(nest))
print("coroutines started", depth)
