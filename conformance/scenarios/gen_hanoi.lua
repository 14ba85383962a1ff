-- A recursive Towers of Hanoi generator yields each move (two values) for four discs.
local function hanoi(n, from, to, via)
  if n == 0 then return end
  hanoi(n - 1, from, via, to)
  coroutine.yield(from, to)
  hanoi(n - 1, via, to, from)
end
local moves = 0
for a, b in coroutine.wrap(function() hanoi(4, "A", "C", "B") end) do
  moves = moves + 1
  print(moves, a .. "->" .. b)
end
