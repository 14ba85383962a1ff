-- An error raised after a yield is reported by the resume that continued the coroutine.
local co = coroutine.create(function(n)
  local got = coroutine.yield(n * 2)
  if got == "bad" then error("received bad input") end
  return "fine"
end)
print(coroutine.resume(co, 21))
print(coroutine.resume(co, "bad"))
print(coroutine.status(co))
