-- assert failures inside a coroutine: a string message gets a position like error(), the default is "assertion failed!", non-strings pass unchanged.
local function run(f) print(coroutine.resume(coroutine.create(f))) end
run(function() assert(false, "custom message") end)
run(function() assert(nil) end)
run(function() assert(1 == 2, 99) end)
local t = {}
local co = coroutine.create(function() assert(false, t) end)
local ok, e = coroutine.resume(co)
print(ok, e == t)
run(function() return assert(1, "unused") end)
