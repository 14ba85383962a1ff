// SPDX-License-Identifier: MIT
// The copy of a switch alone: N bytes from the stack to a malloc'ed block and back, as a yield and
// a resume copy a slice, with each way of copying that lib/stack_switch.cpp could use. Prints the
// best of REPS repetitions of COUNT round trips, in ns per round trip (two copies). Pin it to one
// CPU (taskset -c 1) and compare the rows, not the absolute numbers, on a shared machine.
//   stack_copy [REPS [COUNT]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using copy_fn = void (*)(void*, const void*, std::size_t);

void whole(void* to, const void* from, std::size_t n) { std::memcpy(to, from, n); }

// memcpy in pieces of at most Piece bytes: each call stays below glibc's rep movsb threshold.
template <std::size_t Piece>
void pieces(void* to, const void* from, std::size_t n) {
  auto* d = static_cast<unsigned char*>(to);
  const auto* s = static_cast<const unsigned char*>(from);
  for (; n > Piece; n -= Piece, d += Piece, s += Piece) std::memcpy(d, s, Piece);
  std::memcpy(d, s, n);
}

// A 16-byte loop that the compiler keeps as vector moves (no library call).
void own_loop(void* to, const void* from, std::size_t n) {
  auto* d = static_cast<unsigned char*>(to);
  const auto* s = static_cast<const unsigned char*>(from);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    unsigned char chunk[16];
    __builtin_memcpy(chunk, s + i, 16);
    __builtin_memcpy(d + i, chunk, 16);
  }
  for (; i < n; ++i) d[i] = s[i];
}

struct way {
  const char* name;
  copy_fn copy;
};
const way kWays[] = {{"memcpy", whole},
                     {"memcpy in 2048 B pieces", pieces<2048>},
                     {"memcpy in 1024 B pieces", pieces<1024>},
                     {"memcpy in 1536 B pieces", pieces<1536>},
                     {"16-byte loop", own_loop}};
const std::size_t kSizes[] = {256, 1024, 2048, 4096, 8192, 16384};

// The stack bytes are a local array of this frame, as a coroutine's slice is; `heap` is a malloc'ed
// block as a stack copy is. The volatile function pointer keeps each copy a real call.
__attribute__((noinline)) double round_trip_ns(copy_fn copy, std::size_t n, long count,
                                               unsigned char* heap) {
  alignas(16) unsigned char stack[16384];
  std::memset(stack, 1, n);
  copy_fn volatile call = copy;
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    call(heap, stack, n);
    stack[0] = static_cast<unsigned char>(i);
    call(stack, heap, n);
    asm volatile("" : : "r"(stack) : "memory");
  }
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(count);
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 15;
  const long count = argc > 2 ? std::atol(argv[2]) : 20000;
  auto* heap = static_cast<unsigned char*>(std::malloc(16384));
  if (heap == nullptr) return 1;
  std::printf("%-26s", "ns per round trip (best)");
  for (std::size_t n : kSizes) std::printf(" %8zu B", n);
  std::printf("\n");
  for (const way& w : kWays) {
    std::printf("%-26s", w.name);
    for (std::size_t n : kSizes) {
      double best = 1e30;
      for (int r = 0; r < reps; ++r) {
        const double t = round_trip_ns(w.copy, n, count, heap);
        if (t < best) best = t;
      }
      std::printf(" %10.1f", best);
    }
    std::printf("\n");
  }
  std::free(heap);
}
