-- Coroutines created by the same closure share upvalues with each other and with the main chunk.
local shared = 0
local function make(step)
  return coroutine.wrap(function()
    while true do
      shared = shared + step
      coroutine.yield(shared)
    end
  end)
end
local a, b = make(1), make(100)
print(a(), b(), a(), b())
shared = -1000
print(a(), b())
