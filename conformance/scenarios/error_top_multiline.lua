-- An uncaught error whose message spans several lines is printed with its newlines.
print("start")
error("first line\nsecond line\nthird line")
