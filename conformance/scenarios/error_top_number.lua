-- An uncaught number error at top level is printed as the number.
print("before")
error(42)
