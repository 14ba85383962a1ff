-- Coroutine bodies defined with function a.b() and local function forms behave the same.
local lib = {}
function lib.gen(n) for i = 1, n do coroutine.yield(i) end end
local function gen2(n) for i = n, 1, -1 do coroutine.yield(i) end end
local out = {}
for v in coroutine.wrap(function() lib.gen(3) end) do out[#out + 1] = v end
for v in coroutine.wrap(function() gen2(3) end) do out[#out + 1] = v end
print(table.concat(out, " "))
