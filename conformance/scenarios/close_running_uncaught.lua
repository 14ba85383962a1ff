-- An uncaught attempt to close the running main thread ends the script with a positioned error.
print("closing main")
coroutine.close(coroutine.running())
