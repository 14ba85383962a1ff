-- Values of every type keep type and identity through yield and resume.
local t, f = {}, function() end
local co
co = coroutine.create(function(...)
  local back = table.pack(coroutine.yield(...))
  return back.n, back[1] == t, back[2] == f, back[3] == co
end)
local r = table.pack(coroutine.resume(co, nil, true, false, 0, -7, 2.5, "str", t, f, co))
for i = 2, r.n do print(i - 1, type(r[i])) end
print(r[9] == t, r[10] == f, r[11] == co)
print(coroutine.resume(co, t, f, co))
