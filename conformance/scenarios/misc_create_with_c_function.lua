-- A coroutine whose body is a library function (print, select) runs it with the resume arguments.
local co = coroutine.create(print)
print(coroutine.resume(co, "printed", "by", "coroutine"))
print(coroutine.status(co))
local co2 = coroutine.create(select)
print(coroutine.resume(co2, 2, "a", "b", "c"))
local co3 = coroutine.wrap(tostring)
print(co3(12.0))
