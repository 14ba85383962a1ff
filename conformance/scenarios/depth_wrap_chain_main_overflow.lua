-- A chain of 198 nested wrap calls from the main chunk overflows; the error is uncaught and carries one prefix per level.
local function level(n)
  if n == 198 then return n end
  return coroutine.wrap(level)(n + 1)
end
print("starting")
print(coroutine.wrap(level)(1))
