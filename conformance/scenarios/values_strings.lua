-- Strings with escapes, embedded zeros and long brackets pass through yield unchanged.
local co = coroutine.wrap(function()
  coroutine.yield("tab\there", "quote\"s", 'single\'s', "nl\\n")
  coroutine.yield([[long
string with "quotes" and \backslashes]], "a\0b")
  coroutine.yield("\65\066\x43\u{44}", "")
end)
print(co())
local a, b = co()
print(a)
print(#b, string.format("%q", b))
local c, d = co()
print(c, #d, string.format("%q", d))
