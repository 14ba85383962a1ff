-- Long strings, long comments and escapes in a coroutine body are handled like anywhere else.
--[[ a long comment
spanning lines ]]
local co = coroutine.wrap(function()
  coroutine.yield([==[with ]] inside]==])
  coroutine.yield("\x41\u{42}\67\z
                   D")
end)
print(co())
print(co())
