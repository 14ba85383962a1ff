-- __gc finalizers: run by collectgarbage() in reverse order of marking, once, resurrecting, and for every object left at the end; the collectgarbage options
local order = {}
for i = 1, 4 do
  setmetatable({}, {__gc = function () order[#order + 1] = i end})
end
collectgarbage()
print("order", table.concat(order, " "))

-- a __gc added to the metatable afterwards does not mark the object
local mt = {}
local late = setmetatable({}, mt)
mt.__gc = function () print("never runs") end
late = nil
collectgarbage()

-- the finalizer sees the object and can make it reachable again; it runs only once
local saved
local weak = setmetatable({}, {__mode = "v"})
do
  local obj = setmetatable({name = "phoenix"}, {__gc = function (o) saved = o end})
  weak[1] = obj
end
collectgarbage()
print("resurrected", saved and saved.name, weak[1])
saved = nil
collectgarbage()
print("second collection", saved)

-- an error in a finalizer is not reported
setmetatable({}, {__gc = function () error("ignored") end})
collectgarbage()
print("after the failing finalizer")

-- a coroutine finalizer: the table is collected while the coroutine is suspended elsewhere
local co = coroutine.wrap(function ()
  setmetatable({}, {__gc = function () print("finalized inside") end})
  coroutine.yield(1)
  collectgarbage()
  return 2
end)
print(co(), co())

print(collectgarbage("isrunning"), collectgarbage("stop"), collectgarbage("isrunning"))
print(collectgarbage("restart"), collectgarbage("isrunning"))
print(collectgarbage("incremental"), collectgarbage("step"), collectgarbage("generational"))
print(math.type(collectgarbage("count")), collectgarbage("collect"))
print(pcall(collectgarbage, "nooption"))

setmetatable({}, {__gc = function () print("at the end") end})
keep = setmetatable({}, {__gc = function () print("reachable at the end") end})
print("done")
