-- io's standard files as FILE* userdata across coroutines: io.input, io.type, io.write's result, the FILE* name in type errors, comparisons, arithmetic, concatenation and for loops, and the metatable's __gc on no file.
local XX = setmetatable({}, {__name = "My Type"})
local co = coroutine.wrap(function(f)
  while true do
    f = coroutine.yield(io.type(f), type(f), io.input() == io.stdin, tostring(f):match("^file %(0x%x+%)$") ~= nil)
  end
end)
print(co(io.stdin))
print(co(io.stdout))
print(co(XX))
print(io.write("written ", 1, " ", 2.5, "\n") == io.stdout)
print(io.stdout:write("method ", 3, "\n") == io.stdout)
print(rawequal(io.input(io.stdin), io.stdin), io.input(nil) == io.stdin)
print(getmetatable(io.stdin).__name, getmetatable(io.stdin) == getmetatable(io.stderr))
print(select("#", getmetatable(io.stderr).__gc(io.stderr)))

local errs = {
  "math.sin(io.input())",
  "io.input(XX)",
  "io.input({})",
  "io.input(true)",
  "return ~io.stdin",
  "return XX < io.stdin",
  "return io.stdout <= io.stdin",
  "return io.stdin + 1",
  "return io.stdin .. 'x'",
  "return #io.stderr",
  "for i = io.stdin, 10 do end",
  "for i = 1, io.stdout do end",
  "getmetatable(io.stdin).__gc()",
  "getmetatable(io.stdin).__close(XX)",
  "io.stdout.write(1)",
  "io.type()",
  "io.stdin.x = 1",
  "io.stdin()",
}
for _, src in ipairs(errs) do
  local f = load(src, "=" .. src, "t", setmetatable({XX = XX}, {__index = _G}))
  local c = coroutine.create(f)
  print(coroutine.resume(c))
end
print(io.type(io.stdin), io.type(42), io.type(nil))
