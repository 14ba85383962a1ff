-- Resuming a coroutine in the "normal" state (it resumed the current one) fails.
local outer, inner
outer = coroutine.create(function()
  inner = coroutine.create(function()
    print("outer status from inner:", coroutine.status(outer))
    print("resume outer from inner:", coroutine.resume(outer))
    return "inner done"
  end)
  print("outer resumes inner:", coroutine.resume(inner))
  return "outer done"
end)
print(coroutine.resume(outer))
