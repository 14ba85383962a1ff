-- A message handler that raises an error while handling a stack overflow is called again, until the room runs out: "error in error handling".
local function overflow(a, b, c, d, e)
  local x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30, x31, x32, x33, x34, x35, x36, x37, x38, x39, x40, x41, x42, x43, x44, x45, x46, x47, x48, x49, x50, x51, x52, x53, x54, x55, x56, x57, x58, x59, x60, x61, x62, x63, x64, x65, x66, x67, x68, x69, x70, x71, x72, x73, x74, x75, x76, x77, x78, x79, x80 = 1
  return 1 + overflow(a, b, c, d, e)
end

-- The handler's own error calls it again, until the room kept for the overflow runs out.
local n = 0
print(xpcall(overflow, function(m) n = n + 1 error("again " .. n) end))
print(n > 20 and n < 100)
