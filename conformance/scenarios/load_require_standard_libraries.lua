-- require returns the standard libraries from package.loaded (the same tables as the globals), inside coroutines too; a missing module is an error.
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
-- Its first two lines (lua5.4 goes on to list its installation's directories).
local expected = "module 'surely_not_a_module' not found:\n\tno field package.preload['surely_not_a_module']\n"
print(ok, string.sub(msg, 1, #expected) == expected)
print(pcall(require))
local okr, lib = coroutine.resume(coroutine.create(require), "string")
print(okr, lib == string)
