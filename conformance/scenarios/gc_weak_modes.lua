-- weak keys, weak values and both: what one collection removes, ephemerons, and a __mode set after setmetatable
local function keys(t)
  local list = {}
  for k, v in pairs(t) do
    list[#list + 1] = type(k) .. "=" .. type(v)
  end
  table.sort(list)
  return table.concat(list, " ")
end

local live = {}
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local wkv = setmetatable({}, {__mode = "kv"})
for _, t in ipairs({wk, wv, wkv}) do
  t[{}] = 1              -- a dead key
  t[live] = {}           -- a live key, a dead value
  t.name = {}            -- a string key, a dead value
  t[1] = live            -- a number key, a live value
  t[2] = function () end -- a dead closure
  t[3] = "text"          -- strings are values, never removed
end
collectgarbage()
print("k ", keys(wk))
print("v ", keys(wv))
print("kv", keys(wkv))

-- ephemeron: a value that refers to its own key does not keep the entry
local eph = setmetatable({}, {__mode = "k"})
do
  local k1 = {}
  eph[k1] = {k1}
end
local k2 = {}
eph[k2] = {k2}
collectgarbage()
print("ephemeron", keys(eph), eph[k2][1] == k2)

-- Lua reads __mode at each collection: setting it later still counts
local mt = {}
local late = setmetatable({}, mt)
late[1] = {}
collectgarbage()
print("before __mode", late[1] ~= nil)
mt.__mode = "v"
collectgarbage()
print("after __mode", late[1])

-- tables in cycles go in one collection
local cyc = setmetatable({}, {__mode = "v"})
do
  local a, b = {}, {}
  a.next, b.next = b, a
  cyc[1], cyc[2] = a, b
end
collectgarbage()
print("cycle", cyc[1], cyc[2])
