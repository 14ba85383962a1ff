-- Breaking out of a for loop over a generator leaves the generator's coroutine suspended and reusable.
local th
local gen = coroutine.wrap(function()
  th = coroutine.running()
  for i = 1, 10 do coroutine.yield(i) end
end)
for v in gen do
  print("got", v)
  if v == 3 then break end
end
print(coroutine.status(th))
print("next value after break:", gen())
