-- Yields from inside methods called with a:m() keep self and arguments.
local Acc = {}
Acc.__index = Acc
function Acc.new(start) return setmetatable({total = start}, Acc) end
function Acc:add(n)
  local extra = coroutine.yield("adding " .. n)
  self.total = self.total + n + (extra or 0)
  return self
end
local co = coroutine.wrap(function()
  local a = Acc.new(100)
  a:add(1):add(2)
  return a.total
end)
print(co())
print(co(10))
print(co(20))
