-- error with level 2 points at the line of the calling function inside the coroutine.
local function validate(n)
  if n < 0 then error("negative: " .. n, 2) end
  return n
end
local co = coroutine.create(function()
  validate(1)
  validate(-5)
end)
print(coroutine.resume(co))
