-- Assigning _ENV (the chunk's upvalue) inside a coroutine changes what every function of the chunk sees; _ENV = nil makes globals fail.
local print, coroutine, pcall, G = print, coroutine, pcall, _G
local function show() return value end
value = "global value"
local co = coroutine.create(function ()
  _ENV = {value = "coroutine env"}
  coroutine.yield(show())
  _ENV = nil
  return pcall(show)
end)
print(coroutine.resume(co))
print(show())
print(coroutine.resume(co))
print(pcall(show))
print(pcall(function () newglobal = 1 end))
_ENV = G
print(show(), _ENV == _G)
-- A loaded chunk has an _ENV of its own: assigning it does not touch ours.
local chunk = load("_ENV = {coroutine = coroutine}; coroutine.yield(tostring); return x", "=own")
local c2 = coroutine.wrap(chunk)
print(c2(), c2())
print(type(tostring))
-- Without its env a loaded chunk cannot reach any global.
print(coroutine.resume(coroutine.create(load("return print", "=noenv", "t", nil))))
