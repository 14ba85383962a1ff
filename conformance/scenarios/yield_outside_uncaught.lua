-- An uncaught yield from the main chunk ends the script with the yield-outside message.
print("start")
coroutine.yield("nowhere")
print("not reached")
