-- A `function NAME` statement naming a <const> local is a compile error, as an assignment would be; `function t.x` of a <const> table is not
local foo <const> = 10
local ok, msg = load("local foo <const> = 10; function foo() end")
print(ok, msg)
local co = coroutine.wrap(function()
  local f <const> = 1
  coroutine.yield(load("local g <const> = print\nfunction g()\nend"))
end)
print(co())
print(select(2, load("local t <const> = {} function t.x() return 1 end return t.x()")) , load("local t <const> = {} function t.x() return 1 end return t.x()")())
