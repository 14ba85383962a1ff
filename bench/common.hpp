// SPDX-License-Identifier: MIT
// Shared by every benchmark translation unit (C++17 and the C++20 one): the live-stack buffer that
// a coroutine body keeps across its yields, the list of sizes, and a counter of heap blocks that
// also records what the allocator really hands out (malloc_usable_size).
#ifndef JMPCO_BENCH_COMMON_HPP
#define JMPCO_BENCH_COMMON_HPP

#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace bench {

// Live stack bytes held by the benchmarked coroutine bodies across each yield.
constexpr std::size_t kLiveSizes[] = {0, 256, 1024, 4096, 16384};

// Stack size given to the peers that need one (Boost.Context, ucontext): big enough for the
// largest live buffer plus the body's frames, small enough that many of them fit.
constexpr std::size_t kPeerStackSize = 64 * 1024;

// Coroutines kept suspended at once by the memory benchmarks.
constexpr int kMemoryBatch = 1000;

// Makes the compiler assume `p` (and the memory it points to) is read and written here.
inline void escape(const void* p) noexcept { asm volatile("" : : "g"(p) : "memory"); }

// A local buffer of N bytes that stays live across a yield: filled when the body starts, and
// read, written and escaped after every resume, so the compiler can neither drop it nor shrink it.
template <std::size_t N>
struct live_stack {
  unsigned char bytes[N];
  live_stack() noexcept {
    std::memset(bytes, 0x5a, N);
    escape(bytes);
  }
  void touch() noexcept {
    bytes[0] = static_cast<unsigned char>(bytes[0] + 1);
    bytes[N - 1] = static_cast<unsigned char>(bytes[N - 1] + 1);
    escape(bytes);
  }
};
template <>
struct live_stack<0> {
  void touch() noexcept {}
};

// Calls f.template operator()<N>() for every N in kLiveSizes (used to register one benchmark per
// size from templates).
template <class F>
void for_each_live_size(F&& f) {
  f.template operator()<0>();
  f.template operator()<256>();
  f.template operator()<1024>();
  f.template operator()<4096>();
  f.template operator()<16384>();
}

// Extra call frames between a coroutine body and its yield, for the depth/LIB/N benchmarks.
constexpr int kYieldDepths[] = {0, 4, 16};

// Calls yield() through N more frames, each a real call that returns after it: none can be inlined
// or turned into a tail call.
template <int N, class Yield>
__attribute__((noinline)) void yield_through(Yield& yield) {
  if constexpr (N == 0) {
    yield();
  } else {
    yield_through<N - 1>(yield);
    escape(&yield);
  }
}

// Calls f.template operator()<N>() for every N in kYieldDepths.
template <class F>
void for_each_yield_depth(F&& f) {
  f.template operator()<0>();
  f.template operator()<4>();
  f.template operator()<16>();
}

// What a set of heap blocks costs: the bytes asked for, the bytes malloc really reserved for them
// (malloc_usable_size), and glibc's chunk header on top of that (one size_t per block), which
// together with the usable size is the block's footprint in the heap.
struct heap_count {
  long long blocks = 0;
  long long requested = 0;
  long long usable = 0;

  void on_allocate(void* p, std::size_t n) noexcept {
    if (p == nullptr) return;
    blocks += 1;
    requested += static_cast<long long>(n);
    usable += static_cast<long long>(malloc_usable_size(p));
  }
  void on_free(void* p, std::size_t n) noexcept {
    if (p == nullptr) return;
    blocks -= 1;
    requested -= static_cast<long long>(n);
    usable -= static_cast<long long>(malloc_usable_size(p));
  }
  long long footprint() const noexcept {
    return usable + blocks * static_cast<long long>(sizeof(std::size_t));
  }
};

}  // namespace bench

#endif  // JMPCO_BENCH_COMMON_HPP
