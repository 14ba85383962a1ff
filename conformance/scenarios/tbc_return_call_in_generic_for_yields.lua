-- Inside a coroutine, `return g()` in a generic for with a closing value runs g (which yields) before the value is closed.
local function loop_closing(name)
  local done = false
  return function()
    if done then return nil end
    done = true
    return 1
  end, nil, nil, setmetatable({}, {__close = function() print("close " .. name) end})
end

local function g(tag)
  print("g before yield", tag)
  local back = coroutine.yield("yielded from " .. tag)
  print("g after yield", tag, back)
  return "result of " .. tag
end
local obj = {}
function obj:m(tag) return g(tag) end

local function body(tag, use_method)
  for _ in loop_closing(tag) do
    if use_method then return obj:m(tag) end
    return g(tag)
  end
end

local co = coroutine.create(body)
print(coroutine.resume(co, "plain", false))
print(coroutine.status(co))
print(coroutine.resume(co, "resumed"))
print(coroutine.status(co))

local w = coroutine.wrap(body)
print(w("method", true))
print(w("again"))

-- Closed while suspended in g: coroutine.close runs the loop's __close.
local c2 = coroutine.create(body)
print(coroutine.resume(c2, "closed", false))
print(coroutine.close(c2), coroutine.status(c2))

-- An error raised in g after the yield leaves the value open until coroutine.close, which passes it the error.
local c3 = coroutine.create(function()
  for _ in function(_, c) if not c then return 1 end end, nil, nil,
      setmetatable({}, {__close = function(_, e) print("close with", e) end}) do
    return (function() coroutine.yield("pause") error("boom", 0) end)()
  end
end)
print(coroutine.resume(c3))
print(coroutine.resume(c3))
print(coroutine.close(c3))
