-- An uncaught table error at top level is reported as "(error object is a table value)".
print("before")
error({code = 1})
