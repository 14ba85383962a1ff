-- debug.sethook call, return and tail call events: Lua and C functions, the hooked function at debug.getinfo level 2, the hook named "hook '?'" at level 1, hooks off inside the hook
local events = {}
local function hook(event, line)
  local f = debug.getinfo(2, "nS")
  local self = debug.getinfo(1, "n")
  events[#events + 1] = string.format("%s %s %s %s line=%s self=%s:%s", event, f.what,
    tostring(f.name), f.namewhat, tostring(line), self.namewhat, self.name)
  local _ = tostring(event)  -- a call inside the hook is not reported
end

local function leaf(x) return x * 2 end
local function middle(x) return leaf(x) + 1 end   -- not a tail call
local function tail(x) return leaf(x) end          -- a tail call
local obj = {}
function obj:method(x) return x end

debug.sethook(hook, "cr")
middle(1)
tail(2)
obj:method(3)
local s = string.rep("a", 2)
pcall(leaf, 4)
debug.sethook()

for _, e in ipairs(events) do print(e) end

-- "c" alone, "r" alone
local calls, returns = 0, 0
debug.sethook(function (e) if e == "call" then calls = calls + 1 end end, "c")
middle(1)
debug.sethook(function (e) if e == "return" then returns = returns + 1 end end, "r")
middle(1)
debug.sethook()
print("calls", calls, "returns", returns)

-- a tail call chain: one "call", then "tail call"s, one "return"
local chain = {}
local function c3() return 3 end
local function c2() return c3() end
local function c1() return c2() end
debug.sethook(function (e)
  local info = debug.getinfo(2, "nt")
  chain[#chain + 1] = e .. ":" .. tostring(info.name) .. ":" .. tostring(info.istailcall)
end, "cr")
c1()
debug.sethook()
print(table.concat(chain, " "))
