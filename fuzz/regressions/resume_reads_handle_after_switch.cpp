// SPDX-License-Identifier: MIT
// Regression (found while writing scenario_fuzzer): coroutine<>::resume() reads this->channel_
// again after the switch, but the coroutine may have moved its own handle away (or had it
// reassigned) while it ran.
//
// include/jmpco/coroutine.hpp, coroutine<Out(In...)>::resume():
//     const errc e = channel_->resume_core();
//     if (channel_->inbox.full()) channel_->inbox.take();   // channel_ may be null (moved from)
//     ... channel_->death() ... channel_->outbox.take() ...  // or another coroutine's channel
// The same pattern is in generator<T>::advance() and, through resume(), in wrapped<>.
//
// The core explicitly supports a handle letting go of a running coroutine (release() defers
// until the coroutine hands control back, and tests/lifetime_test.cpp tests it on the core), but
// through the typed API the only way to let go of a running coroutine is to move from, assign
// to, or destroy the handle while its resume() is active, and resume() then dereferences a null
// or foreign channel.
//
// Expected: "ok" (resume returns the yielded 2, the moved-to handle owns the coroutine and
// closes it). Actual: UBSan "member access within null pointer", then SEGV in resume().
#include <cstdio>
#include <utility>

#include "jmpco/jmpco.hpp"

using co_t = jmpco::coroutine<long(long)>;

static co_t* handle = nullptr;
static co_t* moved_to = nullptr;

int main() {
  co_t keeper;
  moved_to = &keeper;
  co_t co([](jmpco::yielder<long(long)>& y, long v) -> long {
    *moved_to = std::move(*handle);  // the handle being resumed gives its coroutine away
    y.yield(v + 1);
    return 0;
  });
  handle = &co;
  jmpco::result<long> r = co.resume(1);
  if (!r.ok() || r.value() != 2) {
    std::printf("wrong result\n");
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
