-- debug.getinfo(2) inside __close handlers: the closing function on a normal exit, the pcall itself once an error has discarded the frames in between, inside and outside coroutines
local function closer(tag)
  return setmetatable({}, {__close = function (_, err)
    local info = debug.getinfo(2, "Sn")
    print(tag, info.what, info.name, err)
  end})
end

function leaves(x)
  local a <close> = closer("normal exit")
  return x
end
leaves(1)

local function fails()
  local a <close> = closer("after an error")
  local b <close> = setmetatable({}, {__close = function () error("replaced", 0) end})
  error("original", 0)
end
print(pcall(fails))

local co = coroutine.create(function ()
  local ok, err = pcall(function ()
    local c <close> = closer("in a coroutine")
    error(7)
  end)
  coroutine.yield(ok, err)
  local d <close> = closer("before the yield")
  coroutine.yield("inside")
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.close(co))

print(select(2, xpcall(function ()
  local e <close> = setmetatable({}, {__close = function () error("in close") end})
end, debug.traceback)))
