-- An error value escaping the body comes back from resume unchanged (same table).
local errobj = {code = 7}
local co = coroutine.create(function() error(errobj) end)
local ok, e = coroutine.resume(co)
print(ok, type(e), e == errobj, e.code)
