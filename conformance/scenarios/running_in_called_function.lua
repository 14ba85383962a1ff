-- coroutine.running called from a helper function reports the coroutine that runs the helper.
local function who() local th, m = coroutine.running() return th, m end
local co = coroutine.create(function()
  coroutine.yield(who())
end)
local ok, th, ismain = coroutine.resume(co)
print(ok, th == co, ismain)
local mth, mismain = who()
print(mth == coroutine.running(), mismain)
