// SPDX-License-Identifier: MIT
// Regression (found by scenario_fuzzer): growing a context's heap copy re-reads bytes that were
// saved before and have since been overwritten.
//
// save_below() in lib/stack_switch.cpp grows a copy with
//     memcpy(grown, c->copy, c->saved); free_copy(c); c->copy = grown; ...
// but free_copy() also sets c->saved = 0, so the copy_stack_bytes() that follows copies the
// whole range [c->start, upto) from the stack again. The bytes of [c->start, old upto) were saved
// because another context's slice was about to be restored over them, and by now they hold that
// other context's frames: they replace the context's own saved bytes.
//
// Here: A starts from a shallow frame (high stop), B from a deeper one (lower stop). main, from a
// frame deeper than B's stop, resumes B: main's bytes in [main.start, B.stop) are saved (copy of
// exactly that size) and B's slice is restored over them. B resumes A: A's stop is higher, so
// main's copy must grow to A.stop, and the grow re-reads [main.start, B.stop) -- B's bytes now.
// When B yields back, main's frames come back with B's bytes in them: the checked pattern in
// resume_deeper() is wrong, or main crashes returning through a corrupted frame.
//
// Expected: "ok". Actual (clang 14 -O1/-O2 with or without ASan, gcc 12): "CORRUPTED ..." or a
// crash.
#include <cstdio>
#include <cstdlib>

#include "jmpco/jmpco.hpp"

using co_t = jmpco::coroutine<long(long)>;

static co_t* a_handle = nullptr;
static int corrupted = 0;

JMPCO_NOINLINE long resume_here(co_t& co, long v) { return co.resume(v).value(); }

// Resumes from `depth` frames below the caller; every frame checks its own bytes afterwards.
JMPCO_NOINLINE long resume_deeper(co_t& co, long v, int depth) {
  volatile long pad[32];
  for (int i = 0; i < 32; ++i) pad[i] = 0x5a5a0000L + depth * 100 + i;
  const long r = depth == 0 ? resume_here(co, v) : resume_deeper(co, v, depth - 1);
  for (int i = 0; i < 32; ++i)
    if (pad[i] != 0x5a5a0000L + depth * 100 + i) ++corrupted;
  return r;
}

int main() {
  co_t a([](jmpco::yielder<long(long)>& y, long v) -> long {
    for (;;) v = y.yield(v + 1);
  });
  co_t b([](jmpco::yielder<long(long)>& y, long v) -> long {
    v = y.yield(v + 10);
    v = a_handle->resume(v).value();  // A's slice reaches higher than B's
    return v + 10;
  });
  a_handle = &a;
  resume_here(a, 0);                        // A: shallow start, high stop
  resume_deeper(b, 0, 2);                   // B: deeper start, lower stop
  const long r = resume_deeper(b, 100, 6);  // main, below B's stop, resumes B; B resumes A
  if (corrupted != 0 || r != 111) {
    std::printf("CORRUPTED: %d stack words of main changed, result %ld (want 111)\n", corrupted, r);
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
