// SPDX-License-Identifier: MIT
// Peer: C++20 stackless coroutines (compiled with -std=c++20), with a minimal task and generator
// written here. A suspended coroutine's state is its heap frame, whose size the compiler fixes:
// the live buffer sits in the frame and nothing is copied on a switch.
#include <benchmark/benchmark.h>

#include <coroutine>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common.hpp"
#include "registry.hpp"

namespace {

bench::heap_count frame_heap;
bool frame_counting = false;

// Frame allocation shared by both promise types, counted on request.
struct counted_frames {
  static void* operator new(std::size_t n) {
    void* p = std::malloc(n);
    if (p == nullptr) throw std::bad_alloc();
    if (frame_counting) frame_heap.on_allocate(p, n);
    return p;
  }
  static void operator delete(void* p, std::size_t n) noexcept {
    if (frame_counting) frame_heap.on_free(p, n);
    std::free(p);
  }
};

// A coroutine that starts suspended and is driven by resume(); it suspends at every co_await.
class task {
 public:
  struct promise_type : counted_frames {
    task get_return_object() noexcept {
      return task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };

  task() noexcept = default;
  explicit task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  task(task&& other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      if (h_) h_.destroy();
      h_ = std::exchange(other.h_, nullptr);
    }
    return *this;
  }
  ~task() {
    if (h_) h_.destroy();
  }

  void resume() const { h_.resume(); }
  bool done() const noexcept { return h_.done(); }

 private:
  std::coroutine_handle<promise_type> h_;
};

// A generator<T> usable in a range-for loop.
template <class T>
class generator {
 public:
  struct promise_type : counted_frames {
    T current{};
    generator get_return_object() noexcept {
      return generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T value) noexcept {
      current = std::move(value);
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };

  class iterator {
   public:
    explicit iterator(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
    const T& operator*() const noexcept { return h_.promise().current; }
    iterator& operator++() {
      h_.resume();
      return *this;
    }
    bool operator!=(std::default_sentinel_t) const noexcept { return !h_.done(); }

   private:
    std::coroutine_handle<promise_type> h_;
  };

  explicit generator(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  generator(generator&& other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
  generator& operator=(generator&&) = delete;
  ~generator() {
    if (h_) h_.destroy();
  }
  iterator begin() {
    h_.resume();
    return iterator(h_);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  std::coroutine_handle<promise_type> h_;
};

template <std::size_t N>
task live_task() {
  bench::live_stack<N> live;
  for (;;) {
    co_await std::suspend_always{};
    live.touch();
  }
}

template <std::size_t N>
void roundtrip(benchmark::State& state) {
  task t = live_task<N>();
  t.resume();
  for (auto _ : state) t.resume();
}

task empty_task() { co_return; }

void create_finish_destroy(benchmark::State& state) {
  for (auto _ : state) {
    task t = empty_task();
    t.resume();
    if (!t.done()) std::abort();
  }
}

// Each level resumes its child (a nested call on the thread's stack), then suspends.
task level(task* child) {
  for (;;) {
    if (child != nullptr) child->resume();
    co_await std::suspend_always{};
  }
}

void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::vector<task> levels(static_cast<std::size_t>(depth));
  for (int i = depth - 1; i >= 0; --i)
    levels[static_cast<std::size_t>(i)] =
        level(i + 1 < depth ? &levels[static_cast<std::size_t>(i) + 1] : nullptr);
  levels[0].resume();
  for (auto _ : state) levels[0].resume();
  state.counters["switches"] = 2.0 * depth;
}

generator<int> numbers(int items) {
  for (int i = 0; i < items; ++i) co_yield i * 3 + 1;
}

void generator_iteration(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  for (auto _ : state) {
    long long sum = 0;
    for (int v : numbers(items)) {
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * items);
}

generator<int> counter() {
  for (int i = 0;; ++i) co_yield i;
}

template <class Make>
void measure(benchmark::State& state, Make make) {
  using handle = decltype(make());
  bench::heap_count total;
  for (auto _ : state) {
    std::vector<handle> all;
    all.reserve(bench::kMemoryBatch);
    frame_counting = true;
    const bench::heap_count before = frame_heap;
    for (int i = 0; i < bench::kMemoryBatch; ++i) {
      all.push_back(make());
      if constexpr (std::is_same_v<handle, task>) {
        all.back().resume();
      } else {
        (void)all.back().begin();
      }
    }
    total.blocks = frame_heap.blocks - before.blocks;
    total.requested = frame_heap.requested - before.requested;
    total.usable = frame_heap.usable - before.usable;
    all.clear();
    frame_counting = false;
  }
  const double n = bench::kMemoryBatch;
  state.counters["requested_bytes"] = static_cast<double>(total.requested) / n;
  state.counters["usable_bytes"] = static_cast<double>(total.usable) / n;
  state.counters["footprint_bytes"] = static_cast<double>(total.footprint()) / n;
  state.counters["blocks"] = static_cast<double>(total.blocks) / n;
  state.counters["handle_bytes"] = sizeof(handle);
}

template <std::size_t N>
void memory_live(benchmark::State& state) {
  measure(state, [] { return live_task<N>(); });
}

void memory_generator(benchmark::State& state) {
  measure(state, [] { return counter(); });
}

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    const std::string n = std::to_string(N);
    bench::add("roundtrip/cxx20-stackless/" + n, roundtrip<N>);
    bench::add("memory/cxx20-stackless/" + n, memory_live<N>)->Iterations(1);
  }
};

}  // namespace

namespace bench {

void register_cxx20() {
  add_library("cxx20-stackless", "C++20 coroutines (a minimal task/generator written here)");
  for_each_live_size(register_sized{});
  bench::add("create/cxx20-stackless", create_finish_destroy);
  bench::add("chain/cxx20-stackless", chain)->Arg(10)->Arg(100);
  bench::add("generator/cxx20-stackless", generator_iteration)->Arg(1000);
  bench::add("memory/cxx20-stackless-generator/0", memory_generator)->Iterations(1);
}

}  // namespace bench
