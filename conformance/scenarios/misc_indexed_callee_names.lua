-- Names Lua gives a function called through an index: a string constant by itself, an integer constant 0..255 as "integer index", any other key as '?', "global '?'" for _ENV[key]; in call errors and in bad-argument messages, also inside a coroutine.
local t = {}
local key = "missing"
local cases = {
  function() t[key]() end,
  function() t[7]() end,
  function() t[256]() end,
  function() t[-1]() end,
  function() t[0.5]() end,
  function() t[true]() end,
  function() t[("paren")]() end,
  function() t[key .. "!"]() end,
  function() _ENV[key]() end,
  function() local _ENV = {}; _ENV[key]() end,
  function() local r = string["rep"]() return r end,
  function() local r = string[key:sub(1, 0) .. "rep"]() return r end,
  function() local r = ({string.rep})[1]() return r end,
  function() local r = (string[("rep")])() return r end,
}
for i, f in ipairs(cases) do
  print(i, pcall(f))
end
local co = coroutine.wrap(function(lib, name)
  while true do
    lib, name = coroutine.yield(select(2, pcall(function() local v = lib[name]() return v end)))
  end
end)
print(co(math, "floor"))
print(co(string, "upper"))
print(co(t, "nothing"))
