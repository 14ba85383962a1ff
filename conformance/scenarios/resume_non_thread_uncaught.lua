-- An uncaught bad-argument error from coroutine.resume ends the script with status 1.
print("before")
coroutine.resume(42)
print("not reached")
