-- An error raised 120 frames deep in a coroutine unwinds all frames; pcall at level 60 catches it and the coroutine continues.
local function dive(n)
  if n == 120 then error("bottom reached at " .. n, 0) end
  if n == 60 then
    local ok, e = pcall(dive, n + 1)
    coroutine.yield("caught: " .. e)
    return "recovered at " .. n
  end
  return dive(n + 1)
end
local co = coroutine.create(dive)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
