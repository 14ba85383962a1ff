-- An uncaught pattern error raised in a coroutine and re-raised by wrap ends the script with lua5.4's message and the wrap call's position.
local parse = coroutine.wrap(function(line)
  while true do
    local key, value = line:match("^(%w+)%s*=%s*(.-)%s*$")
    print("parsed", key, value)
    line = coroutine.yield(key)
    if line == "bad" then
      line = line:gsub("(b)(a)", "%3")
    end
  end
end)
parse("alpha = 1")
parse("beta=two words  ")
parse("bad")
print("not reached")
