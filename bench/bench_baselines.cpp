// SPDX-License-Identifier: MIT
// Baselines that are not coroutines: copying N bytes out and back with memcpy (what a copied-stack
// round trip must do at least), and a hand-written iterator producing a generator's sequence.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "common.hpp"
#include "registry.hpp"

namespace {

// Two copies of N bytes per iteration: stack-like buffer -> heap, then heap -> buffer, the
// traffic of one yield (save) plus one resume (restore) of an N-byte live stack. glibc's memcpy
// speed depends on how source and destination are aligned relative to each other, so the baseline
// is measured twice: both buffers 64-byte aligned (memcpy at its best), and the heap buffer 16
// bytes off a cache line (Offset = 16) while the other stays aligned.
template <std::size_t N, std::size_t Offset>
void memcpy_twice(benchmark::State& state) {
  constexpr std::size_t kRoom = ((N + 64 + 63) / 64) * 64;
  auto* live = static_cast<unsigned char*>(std::aligned_alloc(64, kRoom));
  auto* copy = static_cast<unsigned char*>(std::aligned_alloc(64, kRoom));
  std::memset(live, 0x5a, kRoom);
  std::memset(copy, 0, kRoom);
  unsigned char* a = live;
  unsigned char* b = copy + Offset;
  for (auto _ : state) {
    bench::escape(a);
    std::memcpy(b, a, N);
    bench::escape(b);
    std::memcpy(a, b, N);
    bench::escape(a);
  }
  state.SetBytesProcessed(static_cast<long long>(state.iterations()) * 2 *
                          static_cast<long long>(N));
  std::free(live);
  std::free(copy);
}

// The sequence the generators produce (i*3+1 for i in [0, count)), as a plain forward iterator.
class sequence {
 public:
  class iterator {
   public:
    explicit iterator(int i) noexcept : i_(i) {}
    int operator*() const noexcept { return i_ * 3 + 1; }
    iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& other) const noexcept { return i_ != other.i_; }

   private:
    int i_;
  };
  explicit sequence(int count) noexcept : count_(count) {}
  iterator begin() const noexcept { return iterator(0); }
  iterator end() const noexcept { return iterator(count_); }

 private:
  int count_;
};

void hand_iterator(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  for (auto _ : state) {
    long long sum = 0;
    for (int v : sequence(items)) {
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * items);
}

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    bench::add("baseline/memcpy-2x/" + std::to_string(N), memcpy_twice<N, 0>);
    bench::add("baseline/memcpy-2x-off16/" + std::to_string(N), memcpy_twice<N, 16>);
  }
};

}  // namespace

namespace bench {

void register_baselines() {
  add_library("memcpy-2x",
              "two std::memcpy calls of the live bytes (glibc), 64-byte aligned buffers");
  add_library("memcpy-2x-off16", "the same with the copy 16 bytes off a cache line");
  add_library("hand-iterator", "a hand-written forward iterator");
  for_each_live_size(register_sized{});
  bench::add("generator/hand-iterator", hand_iterator)->Arg(1000);
}

}  // namespace bench
