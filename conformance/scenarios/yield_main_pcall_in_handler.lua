-- In the main chunk, a yield inside an xpcall handler fails repeatedly and ends as "error in error handling".
local calls, first, second = 0, nil, nil
print(xpcall(function() error("e main") end, function(m)
  calls = calls + 1
  if calls == 1 then first = m elseif calls == 2 then second = m end
  return coroutine.yield("x")
end))
print("handler called more than once:", calls > 1)
print("first:", first)
print("second:", second)
