-- Errors of malformed patterns and bad replacements, raised inside coroutines, reach resume with lua5.4's messages and the caller's position.
local cases = {
  function() return string.find("abc", "%") end,
  function() return string.match("abc", "[a-") end,
  function() return ("abc"):find("%f[a") end,
  function() return ("abc"):match("%fa") end,
  function() return ("abc"):match("%b") end,
  function() return ("abc"):match("a)") end,
  function() return ("abc"):match("(a") end,
  function() return ("abc"):find("(a)%2") end,
  function() return ("abc"):gsub("(b)", "%2") end,
  function() return ("abc"):gsub("b", "%z") end,
  function() return ("abc"):gsub("b", "%") end,
  function() return ("abc"):gsub("b", {b = {}}) end,
  function() return ("abc"):gsub("b", function() return true end) end,
  function() return ("abc"):gsub("b") end,
  function() return ("abc"):gsub("b", nil) end,
  function() return ("abc"):gsub("b", "x", 1.5) end,
  function() return string.rep("a", 40):match(string.rep("(a)", 33)) end,
  function() return string.rep("a", 250):match(string.rep("a?", 250)) end,
  function() return string.find({}, "a") end,
}
for i, f in ipairs(cases) do
  local co = coroutine.create(f)
  print(i, coroutine.resume(co))
end

-- Through wrap, a string error gets the wrap caller's position in front.
local w = coroutine.wrap(function() return ("x"):match("[x") end)
print(pcall(w))

-- Through a gmatch iterator: the error comes when the loop asks for the first match.
local g = coroutine.create(function()
  coroutine.yield("before loop")
  for _ in ("abc"):gmatch("%f") do end
end)
print(coroutine.resume(g))
print(coroutine.resume(g))
print(coroutine.status(g))
