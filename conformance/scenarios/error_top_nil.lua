-- An uncaught nil error at top level is reported as "(error object is a nil value)".
print("before")
error(nil)
