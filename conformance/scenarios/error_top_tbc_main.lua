-- An uncaught error in the main chunk still runs the main chunk's pending __close handlers (they receive an error value).
local r <close> = setmetatable({}, {__close = function(_, e) print("closing main resource; got an error value:", e ~= nil) end})
print("about to fail")
error("main failure", 0)
