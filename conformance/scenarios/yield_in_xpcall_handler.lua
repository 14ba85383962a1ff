-- A yield inside an xpcall message handler is not allowed: the handler errors repeatedly and xpcall reports "error in error handling".
local calls, first, second = 0, nil, nil
local co = coroutine.create(function()
  return xpcall(function() error("original") end, function(m)
    calls = calls + 1
    if calls == 1 then first = m elseif calls == 2 then second = m end
    coroutine.yield("from handler")
    return "unreachable"
  end)
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print("handler called more than once:", calls > 1)
print("first message:", first)
print("second message:", second)
