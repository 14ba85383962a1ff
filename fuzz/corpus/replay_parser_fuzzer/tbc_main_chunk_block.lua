-- To-be-closed variables also work in the main chunk outside any coroutine.
do
  local r <close> = setmetatable({}, {__close = function(_, e) print("main block closed", e, coroutine.isyieldable()) end})
  print("inside main block")
end
print("after main block")
