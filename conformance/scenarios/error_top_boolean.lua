-- An uncaught boolean error at top level is reported as "(error object is a boolean value)".
error(false)
