-- require returns the standard libraries from package.loaded (the same tables as the globals), inside coroutines too; a missing module is an error.
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
print(require "coroutine" == coroutine, require "string" == string, require "table" == table)
print(require "math" == math, require "_G" == _G, require "package" == package)
print(package.loaded.coroutine == coroutine, package.loaded._G == _G)
print(select("#", require "coroutine"))
local co = coroutine.wrap(function ()
  local c = require "coroutine"
  c.yield(c == coroutine)
  return c.isyieldable()
end)
print(co(), co())
package.preload.counter = function (name, data)
  local n = 0
  return {name = name, data = data, next = function () n = n + 1; return n end}
end
local m, data = require "counter"
print(m.name, m.data, data, m.next(), require "counter" == m, m.next())
package.loaded.fake = "cached"
print(require "fake")
local ok, msg = pcall(require, "surely_not_a_module")
print(ok, first_lines(msg, 2))
print(pcall(require))
local okr, lib = coroutine.resume(coroutine.create(require), "string")
print(okr, lib == string)
