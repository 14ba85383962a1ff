// SPDX-License-Identifier: MIT
// All of jmpco's memory from one static buffer (as firmware without a heap would have it), and
// what happens when a coroutine needs more than is left: the operation that needed memory fails
// with "not enough memory", and the other coroutines go on as before.
#include <cstdio>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "static_arena.hpp"  // ports/common: first fit over a static buffer

namespace {

alignas(jmpco_port::static_arena::alignment) unsigned char buffer[64 * 1024];
jmpco_port::static_arena arena(buffer, sizeof buffer);

using counter = jmpco::coroutine<int()>;

counter make_counter() {
  return counter([](jmpco::yielder<int()>& y) -> int {
    for (int i = 1;; ++i) y.yield(i);
  });
}

// Opaque to the optimizer, so the buffer really is on the stack.
JMPCO_NOINLINE void fill(volatile char* bytes, std::size_t size) {
  for (std::size_t i = 0; i < size; i += 64) bytes[i] = 1;
}

}  // namespace

int main() {
  // Before the first coroutine, and for good: the thread keeps a buffer from it until it exits.
  jmpco::set_allocator(arena.hooks());
  std::vector<counter> counters;  // the vector itself is on the ordinary heap
  for (int i = 0; i < 20; ++i) {
    counters.push_back(make_counter());
    if (!counters.back() || !counters.back().resume().ok()) std::printf("counter %d failed\n", i);
  }
  std::printf(
      "20 counters started, %s of the arena still free\n",
      arena.free_bytes() > sizeof buffer / 4 ? "more than a quarter" : "less than a quarter");

  // A coroutine whose suspended stack (96 KiB of live locals) cannot fit in what is left: its
  // yield fails, and so does the resume that ran it.
  counter big([](jmpco::yielder<int()>& y) -> int {
    volatile char locals[96 * 1024];
    fill(locals, sizeof locals);
    y.yield(1);
    return locals[0];
  });
  jmpco::result<int> r = big.resume();
  std::printf("big coroutine: %s\n", r.ok() ? "fitted" : r.error().what());

  // The counters go on.
  std::printf("first counter again: %d\n", counters.front().resume().value());
  counters.clear();
  std::printf("%s\n", arena.free_bytes() > sizeof buffer / 2 ? "the counters gave their memory back"
                                                             : "the counters kept their memory");
}
