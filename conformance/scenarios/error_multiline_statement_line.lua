-- Regression (found by lua_differential_fuzzer): the line in the position of an error raised by a
-- statement that spans several lines. lua5.4 gives an assignment's store the line where the
-- statement's expression ends (its store instruction is emitted after the right-hand side is
-- parsed); jmpco-replay reports the line where the statement starts. The fuzzer met it as
-- "C stack overflow" raised by `C[1] = coroutine.create(function(...)\n end)` at the deepest
-- level of a resume chain (lua5.4: line of `end)`, jmpco-replay: line of `C[1] =`).
-- lua5.4 5.4.4 prints lines 10 and 15 in the first two results; jmpco-replay prints 9 and 14.
print(pcall(function()
  C[1] = function()
  end
end))
print(pcall(function()
  local t = nil
  t.x = 1 +
    2
end))
print(pcall(function()
  local t = nil
  local y = t.x +
    2
end))
print(pcall(function()
  local f = nil
  f(1,
    2)
end))
