-- An uncaught float error at top level is printed as the float.
error(1.5)
