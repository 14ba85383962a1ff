-- A resume call in the middle of an argument list is truncated to its first value; at the end it expands.
local co = coroutine.create(function() while true do coroutine.yield("y1", "y2") end end)
print(coroutine.resume(co), "after")
print("before", coroutine.resume(co))
print((coroutine.resume(co)))
local t = {coroutine.resume(co)}
print(#t, t[1], t[2], t[3])
