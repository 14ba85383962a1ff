-- `return g()` inside a generic for with a closing value is not a tail call: the value is closed after g returns.
local log = {}
local function note(s) log[#log + 1] = s end
local function loop_closing(name)
  local done = false
  local function step()
    if done then return nil end
    done = true
    return 1
  end
  return step, nil, nil, setmetatable({}, {__close = function() note("close " .. name) end})
end

local function g(tag) note("g " .. tag) return tag, "second" end
local obj = {name = "obj"}
function obj:m(x) note("m " .. self.name) return x * 2 end

local function plain() for _ in loop_closing("plain") do return g("plain") end end
print(plain())
print(table.concat(log, ", ")) log = {}

local function method() for _ in loop_closing("method") do return obj:m(21) end end
print(method())
print(table.concat(log, ", ")) log = {}

local function nested_blocks()
  for _ in loop_closing("outer") do
    do
      if true then
        for _ in loop_closing("inner") do
          while true do return g("deep") end
        end
      end
    end
  end
end
print(nested_blocks())
print(table.concat(log, ", ")) log = {}

local function local_close()
  local x <close> = setmetatable({}, {__close = function() note("close local") end})
  return g("local")
end
print(local_close())
print(table.concat(log, ", ")) log = {}

-- The callee sees the loop's value still open.
local open = true
local function watch() return open end
local function sees() for _ in loop_closing("watched") do return watch() end end
local function loop_watched()
  return function(_, c) if not c then return 1 end end, nil, nil,
         setmetatable({}, {__close = function() open = false end})
end
local function sees2() for _ in loop_watched() do return watch() end end
print(sees(), sees2(), open)
