-- A coroutine body made by load: its varargs are the first resume's values, it yields and returns.
local body = load("local a, b = ...\nlocal got = coroutine.yield(a + b, select('#', ...))\nreturn got .. '!', ...", "=body")
local co = coroutine.create(body)
print(coroutine.resume(co, 2, 3, nil))
print(coroutine.status(co))
print(coroutine.resume(co, "back"))
print(coroutine.status(co))
local gen = coroutine.wrap(load("for i = 1, select(1, ...) do coroutine.yield(i * 10) end return 'done'"))
print(gen(3), gen(), gen(), gen())
-- A function defined inside a loaded chunk yields like any other.
local make = load("return function (n) for i = 1, n do coroutine.yield('item', i) end end")()
for kind, i in coroutine.wrap(function () make(2) end) do print(kind, i) end
