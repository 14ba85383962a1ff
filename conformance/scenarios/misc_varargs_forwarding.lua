-- Varargs forwarded through wrap and resume keep count and positions, including trailing nils.
local function fwd(...)
  return coroutine.wrap(function(...) return select('#', ...), ... end)(...)
end
print(fwd())
print(fwd(nil))
print(fwd(1, nil, 3, nil, nil))
