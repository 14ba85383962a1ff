-- The values returned by the body come back as extra results of the last resume.
local co = coroutine.create(function()
  return 10, "ten", true, 10.5
end)
print(coroutine.resume(co))
print(coroutine.status(co))
