-- Coroutines as object methods: function a:m() bodies that yield, called through a:m() syntax.
local Walker = {}
Walker.__index = Walker
function Walker.new(items) return setmetatable({items = items, pos = 0}, Walker) end
function Walker:step()
  self.pos = self.pos + 1
  return self.items[self.pos]
end
function Walker:run()
  while true do
    local v = self:step()
    if v == nil then return "walked " .. self.pos - 1 end
    coroutine.yield(v)
  end
end
local w = Walker.new({"n", "e", "s"})
local co = coroutine.create(w.run)
print(coroutine.resume(co, w))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(w.pos)
