-- The body of a for loop over gmatch's iterator may yield: the iterator is a C function called between matches, so the loop's state survives each suspension.
local co = coroutine.create(function(text, pattern)
  local count = 0
  for key, value in text:gmatch(pattern) do
    count = count + 1
    local reply = coroutine.yield(key, value, coroutine.isyieldable())
    print("consumer said", reply)
  end
  return "pairs", count
end)

print(coroutine.resume(co, "x=1;y=2;zz=3", "(%a+)=(%d+)"))
print(coroutine.resume(co, "first"))
print(coroutine.resume(co, "second"))
print(coroutine.resume(co, "third"))
print(coroutine.status(co))

-- Calling the iterator by hand inside a coroutine, with yields in between.
local it = ("red green blue"):gmatch("%a+")
local walker = coroutine.wrap(function()
  while true do
    local colour = it()
    if colour == nil then return "exhausted" end
    coroutine.yield(colour:upper())
  end
end)
print(walker(), walker(), walker(), walker())
print(it())
