-- A coroutine body with its own _ENV (local, parameter, or load's env) resolves free names in it across yields.
local function body(_ENV)
  x = (x or 0) + 1
  coroutine.yield(x)
  x = x + 10
  return x
end
local env = {coroutine = coroutine}
local co = coroutine.create(body)
print(coroutine.resume(co, env))
print(env.x, rawget(_G, "x"))
print(coroutine.resume(co))
print(env.x)
local gen = coroutine.wrap(function ()
  local _ENV = {yield = coroutine.yield, tostring = tostring}
  for k = 1, 2 do yield(tostring(k) .. "/" .. tostring(print)) end
  return "end"
end)
print(gen(), gen(), gen())
local loaded = load("total = 0 for _, v in ipairs(list) do total = total + v; coroutine.yield(total) end return total",
  "=sum", "t", {ipairs = ipairs, coroutine = coroutine, list = {4, 5, 6}})
local sum = coroutine.create(loaded)
repeat print(coroutine.resume(sum)) until coroutine.status(sum) == "dead"
-- Lua names fields of any variable called _ENV "global" in messages.
print(coroutine.resume(coroutine.create(function () local _ENV = {} missing() end)))
print(coroutine.resume(coroutine.create(function () local e = {} e.missing() end)))
print(coroutine.resume(coroutine.create(function (_ENV) return a.b end), {}))
