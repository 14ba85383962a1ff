-- Number error values pass through resume unchanged, ignoring the level argument.
local co = coroutine.create(function() error(404) end)
local ok, e = coroutine.resume(co)
print(ok, e, type(e), e + 1)
local co2 = coroutine.create(function() error(-1.5, 1) end)
print(coroutine.resume(co2))
