-- error(msg, 2) inside __close names the line Lua was at when it called the handler: the block's last token, the loop's `end` for a break, the return's last token, the label of a forward goto; and no position when Lua called it from C (while recovering from an error, closing a coroutine).
local function mk(tag)
  return setmetatable({}, {__close = function() error(tag, 2) end})
end
print(pcall(function()
  do
    local a <close> = mk("do block")
    local y = 2
  end
end))
print(pcall(function()
  local a <close> = mk("function body")
end))
print(pcall(function()
  while true do
    local a <close> = mk("while break")
    if true then
      break
    end
  end
end))
print(pcall(function()
  for i = 1, 2 do
    local a <close> = mk("numeric for")
    local x = i
  end
end))
print(pcall(function()
  repeat
    local a <close> = mk("repeat")
  until
    true
end))
print(pcall(function()
  repeat
    local a <close> = mk("repeat break")
    if true then break end
  until
    false
end))
print(pcall(function()
  local a <close> = mk("return")
  return 1,
    2
end))
print(pcall(function()
  local a <close> = mk("empty return")
  return
end))
print(pcall(function()
  for k, v in next, {1}, nil, mk("generic for closing value") do
    local x = k
  end
end))
print(pcall(function()
  if true then
    local a <close> = mk("if branch")
  else
    local b = 1
  end
end))
print(pcall(function()
  local a <close> = mk("after an error")
  error("first")
end))
print(coroutine.wrap(function() return pcall(function()
  local a <close> = mk("after an error in a coroutine")
  error("first")
end) end)())
local co = coroutine.create(function() local a <close> = mk("coroutine.close"); coroutine.yield() end)
coroutine.resume(co)
print(coroutine.close(co))
co = coroutine.create(function() local a <close> = mk("dead coroutine"); error("d") end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(pcall(function()
  do
    local a <close> = mk("goto forward")
    goto out
  end
  ::out::
end))
print(pcall(function()
  local n = 0
  ::top::
  do
    n = n + 1
    local a <close> = mk("goto backward")
    if n < 2 then
      goto top
    end
  end
end))
