-- load pulls a reader function until nil or ""; its errors and yields come back as load's nil and message.
-- The first n lines of a message (lua5.4 adds a traceback to some of them; the replay tool does not).
local function first_lines(s, n)
  for p = 1, #s do
    if string.byte(s, p) == 10 then
      n = n - 1
      if n == 0 then return string.sub(s, 1, p - 1) end
    end
  end
  return s
end
local pieces = {"return ", "'a' .. ", "...", nil}
local i = 0
local f = load(function () i = i + 1; return pieces[i] end, "=pieces")
print(f("b"), i)
local j = 0
print(load(function () j = j + 1; if j == 1 then return "return 7" end return "" end)(), j)
print(load(function () return 42 end, "=num", "b"))
local function show(f, msg) print(f, first_lines(msg, 1)) end
show(load(function () return true end))
show(load(function () error("reader failed") end))
show(load(function () error({}) end))
-- A reader may not yield: load calls it from C.
local co = coroutine.wrap(function ()
  return load(function () coroutine.yield("never") end)
end)
print(co())
-- The chunk a reader gave runs in a coroutine like any other.
local k = 0
local body = load(function () k = k + 1; return ({"coroutine.yield('from reader chunk')", " return 'end'"})[k] end)
local c2 = coroutine.create(body)
print(coroutine.resume(c2))
print(coroutine.resume(c2))
