-- debug.sethook and debug.gethook misuse and edges: argument errors, mask letters and their order, counts (0, negative, only count), turning hooks off, a hook replacing or removing itself, errors inside a hook, a count hook stopping a runaway loop
local function f() end
print(pcall(debug.sethook, f))
print(pcall(debug.sethook, 1, "c"))
print(pcall(debug.sethook, f, "c", "x"))
print(pcall(debug.sethook, f, {}))
print(pcall(debug.sethook, coroutine.create(f), f))
print(pcall(debug.sethook, "c", f))
print(pcall(debug.gethook, 1))

local function show(...)
  local h, mask, count = ...
  print(select("#", ...), h == f, mask, count)
end
debug.sethook(f, "lrc") show(debug.gethook())
debug.sethook(f, "xyzc") show(debug.gethook())
debug.sethook(f, "", 0) show(debug.gethook())
debug.sethook(f, "", 3) show(debug.gethook())
debug.sethook(f, "r", -2) show(debug.gethook())
debug.sethook(f, "l", 2.0) show(debug.gethook())
debug.sethook(nil, "c") show(debug.gethook())
debug.sethook(f, "c") debug.sethook() show(debug.gethook())
print(pcall(debug.sethook, f, "c", 1.5))
show(debug.gethook())

-- a hook that removes itself, and one that replaces itself
local n = 0
debug.sethook(function () n = n + 1; debug.sethook() end, "l")
local a = 1
local b = 2
print("removed after", n)
local order = {}
local function second(e) order[#order + 1] = "second " .. e end
debug.sethook(function (e) order[#order + 1] = "first " .. e; debug.sethook(second, "c") end, "l")
local c = 3
debug.sethook()
print(table.concat(order, ", "))

-- an error inside a hook goes out of the hooked code; the hook is still set, and runs again
local count = 0
debug.sethook(function (e, line)
  count = count + 1
  if count == 4 then error("hook failed at " .. line) end
end, "l")
local ok, err = pcall(function ()
  local x = 1
  local y = 2
end)
debug.sethook()
print(ok, err, count)

-- a count hook stops an endless loop
debug.sethook(function () error("budget spent", 0) end, "", 1000)
print(pcall(function () while true do end end))
print(pcall(function () local i = 0 repeat i = i + 1 until false end))
debug.sethook()
print(debug.gethook())
