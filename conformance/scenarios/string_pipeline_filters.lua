-- A producer/filter/consumer pipeline of coroutines where each filter rewrites lines with gsub and selects them with match.
local function producer(lines)
  return coroutine.wrap(function()
    for _, line in ipairs(lines) do coroutine.yield(line) end
  end)
end

local function filter(source, transform)
  return coroutine.wrap(function()
    for line in source do
      local out = transform(line)
      if out then coroutine.yield(out) end
    end
  end)
end

local log = {
  "2024-01-05 ERROR disk /dev/sda1 full (98%)",
  "2024-01-05 info  user alice logged in",
  "2024-01-06 WARN  cpu at 91%",
  "2024-01-06 ERROR net eth0 down",
  "garbage line",
  "2024-01-07 info  backup done in 12.5s",
}

local stage1 = filter(producer(log), function(line)
  local date, level, text = line:match("^(%d+%-%d+%-%d+)%s+(%u%a*)%s+(.*)$")
  if not date then return nil end
  return date:gsub("%-", "/") .. "|" .. level:upper() .. "|" .. text
end)

local stage2 = filter(stage1, function(line)
  local masked, n = line:gsub("%d+%%", function(p) return "<" .. #p - 1 .. " digits>%" end)
  return masked .. " (" .. n .. ")"
end)

for line in stage2 do print(line) end

-- Counting words with a table replacement whose __index resumes a counting coroutine.
local counts = {}
local counter = coroutine.create(function(word)
  while true do
    counts[word] = (counts[word] or 0) + 1
    word = coroutine.yield(counts[word])
  end
end)
local seen = setmetatable({}, {__index = function(_, word)
  local _, n = coroutine.resume(counter, word)
  return n > 1 and word:upper() or nil
end})
print(("to be or not to be"):gsub("%a+", seen))
