-- An uncaught error("x", 0) at top level prints just the message.
print("before")
error("plain message", 0)
