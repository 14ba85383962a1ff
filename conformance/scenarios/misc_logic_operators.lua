-- and/or/not and comparisons on resume results (short-circuit does not resume twice).
local calls = 0
local co = coroutine.create(function() while true do calls = calls + 1 coroutine.yield(calls) end end)
local function next_value() return select(2, coroutine.resume(co)) end
print(next_value() == 1 or next_value())
print(next_value() > 5 and next_value())
print(not next_value(), calls)
print(1 < 2, "a" < "b", 2 <= 2.0, "10" == 10, nil == false)
