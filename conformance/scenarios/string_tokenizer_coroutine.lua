-- A tokenizer coroutine built on anchored string.find with an init position yields tokens to a recursive-descent evaluator.
local function tokens(src)
  return coroutine.wrap(function()
    local pos = 1
    local rules = {
      {"^%s+", nil},
      {"^%d+%.?%d*", "num"},
      {"^[%a_][%w_]*", "name"},
      {"^[%+%-%*/%^%(%)]", "op"},
    }
    while pos <= #src do
      local matched = false
      for _, rule in ipairs(rules) do
        local s, e = src:find(rule[1], pos)
        if s then
          if rule[2] then coroutine.yield(rule[2], src:sub(s, e), s) end
          pos = e + 1
          matched = true
          break
        end
      end
      if not matched then error("bad character '" .. src:sub(pos, pos) .. "' at " .. pos) end
    end
    coroutine.yield("eof", "", pos)
  end)
end

local function evaluate(src, vars)
  local next_token = tokens(src)
  local kind, text = next_token()
  local function advance() kind, text = next_token() end
  local expr
  local function atom()
    if kind == "num" then local v = tonumber(text) advance() return v end
    if kind == "name" then local v = vars[text] advance() return v end
    if text == "(" then advance() local v = expr() advance() return v end
    if text == "-" then advance() return -atom() end
    error("unexpected " .. kind .. " '" .. text .. "'")
  end
  local function power()
    local v = atom()
    if text == "^" then advance() return v ^ power() end
    return v
  end
  local function term()
    local v = power()
    while text == "*" or text == "/" do
      local op = text advance()
      if op == "*" then v = v * power() else v = v / power() end
    end
    return v
  end
  function expr()
    local v = term()
    while text == "+" or text == "-" do
      local op = text advance()
      if op == "+" then v = v + term() else v = v - term() end
    end
    return v
  end
  return expr()
end

print(evaluate("1 + 2 * 3", {}))
print(evaluate("(x + 1.5) * 2 ^ 3 ^ 0", {x = 4}))
print(evaluate("-width / 4 - 1", {width = 10}))
print(pcall(evaluate, "2 # 3", {}))
print(pcall(evaluate, "2 * )", {}))
for kind, text, at in tokens("f(x1) + 20.5") do
  print(kind, text, at)
  if kind == "eof" then break end
end
