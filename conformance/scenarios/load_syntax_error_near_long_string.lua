-- A syntax error at a long string quotes it with its brackets and level (llex.c's buffer, without the skipped first newline), also for chunks loaded inside a coroutine.
local co = coroutine.wrap(function(...)
  for _, src in ipairs{...} do
    coroutine.yield(select(2, load(src, "=src")))
  end
end)
print(co("[[a]]", "x = 1 [==[\nlong\nstr]==]", "[=[\n]=]", "return [[a]] .. [[b]] [[c]]", "f 'q' 'r'", "print([[x]] [[y]])"))
for _ = 1, 5 do print(co()) end
print(#[[
ab]], [==[a]]b]==], [[
]] == "")
