-- require calls its searchers from C (lua_call), one C level above its own: one level below the limit a module that is not loaded yet, preloaded or missing, fails with "C stack overflow" (no position), while one already in package.loaded still comes back.
local function nested(n, f)
  if n == 0 then return f() end
  return coroutine.wrap(nested)(n - 1, f)
end
package.preload.counter = function(name) return {name = name} end
local missing = "module 'surely_not_a_module' not found:"
for n = 195, 196 do
  nested(n, function()
    local okl, lib = pcall(require, "string")
    print(n, "loaded", okl, lib == string)
    local ok, m = pcall(require, "counter")
    print(n, "preload", ok, ok and m.name or m)
    package.loaded.counter = nil
    local ok2, msg = pcall(require, "surely_not_a_module")
    print(n, "missing", ok2, string.sub(msg, 1, #missing) == missing and missing or msg)
  end)
end
