-- type() of coroutine objects: create gives a thread, wrap gives a function, running gives a thread.
print(type(coroutine.create(print)))
print(type(coroutine.wrap(print)))
print(type(coroutine.running()))
print(type(coroutine), type(coroutine.yield), type(coroutine.resume))
