// SPDX-License-Identifier: MIT
// The floor of jmpco's design, measured: a copy-stack coroutine reduced to the least that a
// portable setjmp/longjmp switch must do per round trip. One jump each way, the live bytes copied
// out on yield and back on resume, and nothing else: no nesting chain, no status or owner
// checks, no thread state, no exception state, no allocation failure, no misuse detection. It is
// what jmpco would cost if it had none of the guarantees it gives, so
// `roundtrip/copy-stack-floor/N` beside `roundtrip/jmpco/N` splits jmpco's time into the mechanism
// and its bookkeeping.
//
// Only for this benchmark: one coroutine at a time, resumed always from the same stack depth,
// never finishing, on a stack that grows down (every target the benchmarks run on). It uses the
// same jump jmpco uses with GCC and Clang (__builtin_setjmp / __builtin_longjmp), and, like jmpco,
// moves below the saved bytes before it copies them back.
#include <benchmark/benchmark.h>

#include <alloca.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common.hpp"
#include "registry.hpp"

namespace {

struct floor_coroutine {
  void* resumer[5];     // where a yield lands: inside resume()
  void* body[5];        // where a resume lands: inside yield()
  char* top = nullptr;  // the body's frames lie below this address
  char* low = nullptr;  // the lowest live byte at the last yield
  unsigned char* copy = nullptr;
  std::size_t capacity = 0;
  void (*run)(floor_coroutine&) = nullptr;
  bool started = false;
};

// Saves [low, top) and jumps back to the resumer. Its own frame lies below yield()'s, so
// everything yield() needs is inside the copy.
[[gnu::noinline]] void save_and_leave(floor_coroutine& co) {
  char here;
  co.low = &here;
  const auto size = static_cast<std::size_t>(co.top - co.low);
  if (size > co.capacity) std::abort();
  std::memcpy(co.copy, co.low, size);
  __builtin_longjmp(co.resumer, 1);
}

[[gnu::noinline]] void yield(floor_coroutine& co) {
  if (__builtin_setjmp(co.body) == 0) save_and_leave(co);
}

// Called with the stack pointer already below co.low: puts the bytes back and enters yield().
[[gnu::noinline]] void restore_and_enter(floor_coroutine& co) {
  std::memcpy(co.low, co.copy, static_cast<std::size_t>(co.top - co.low));
  __builtin_longjmp(co.body, 1);
}

// The body's frames start here; it never returns (the bodies loop forever).
[[gnu::noinline]] void launch(floor_coroutine& co) {
  char here;
  co.top = &here;
  co.run(co);
  std::abort();
}

// Moves below the saved bytes (they overlap the frames a call from resume() would use), then
// restores them.
[[gnu::noinline]] void move_below_and_restore(floor_coroutine& co) {
  char here;
  const std::ptrdiff_t overlap = &here - co.low + 256;
  if (overlap > 0) {
    auto* room = static_cast<volatile char*>(alloca(static_cast<std::size_t>(overlap)));
    room[0] = 0;
  }
  restore_and_enter(co);
}

[[gnu::noinline]] void resume(floor_coroutine& co) {
  if (__builtin_setjmp(co.resumer) != 0) return;  // the body yielded
  if (!co.started) {
    co.started = true;
    launch(co);
  }
  move_below_and_restore(co);
}

template <std::size_t N>
void live_body(floor_coroutine& co) {
  bench::live_stack<N> live;
  for (;;) {
    yield(co);
    live.touch();
  }
}

template <std::size_t N>
void roundtrip(benchmark::State& state) {
  floor_coroutine co;
  co.capacity = N + 64 * 1024;
  co.copy = static_cast<unsigned char*>(std::malloc(co.capacity));
  co.run = live_body<N>;
  resume(co);  // runs to the first yield
  for (auto _ : state) resume(co);
  // What a suspended floor coroutine holds: its record and the bytes of its copy.
  state.counters["object_bytes"] = sizeof(floor_coroutine);
  state.counters["stack_copy_bytes"] = static_cast<double>(co.top - co.low);
  std::free(co.copy);
}

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    bench::add("roundtrip/copy-stack-floor/" + std::to_string(N), roundtrip<N>);
  }
};

}  // namespace

namespace bench {

void register_copy_stack_floor() {
  add_library("copy-stack-floor",
              "the least a setjmp/longjmp copy-stack switch does (bench/floor_copy_stack.cpp): "
              "one __builtin_longjmp each way and the live bytes copied out and back, no "
              "bookkeeping");
  for_each_live_size(register_sized{});
}

}  // namespace bench
