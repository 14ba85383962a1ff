-- A coroutine implements a state machine: the resume argument is the input, the yield value the output.
local machine = coroutine.wrap(function(input)
  local state = "idle"
  while true do
    if state == "idle" and input == "coin" then state = "ready"
    elseif state == "ready" and input == "push" then state = "idle"
    elseif input == "kick" then state = "broken"
    end
    input = coroutine.yield(state)
  end
end)
for _, ev in ipairs({"push", "coin", "coin", "push", "kick", "coin"}) do
  print(ev, machine(ev))
end
