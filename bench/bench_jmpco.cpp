// SPDX-License-Identifier: MIT
// jmpco's side of every comparison: round trip at each live-stack size, create-to-destroy, nested
// resume chains, generator iteration, and bytes per suspended coroutine (counted by an allocator
// installed with jmpco::set_allocator, which sees the coroutine objects and the stack copies).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common.hpp"
#include "jmpco/jmpco.hpp"
#include "registry.hpp"

namespace {

// ---------------------------------------------------------------------------------------------
// The counting allocator. It is installed once, before any coroutine exists (jmpco's rule), and
// counts only while a memory benchmark asks it to, so the timed benchmarks pay just the indirect
// call that the default allocator costs too.
bench::heap_count jmpco_heap;
bool jmpco_counting = false;

void* counting_allocate(std::size_t size, void*) {
  void* p = std::malloc(size);
  if (jmpco_counting) jmpco_heap.on_allocate(p, size);
  return p;
}
void counting_deallocate(void* block, std::size_t size, void*) {
  if (jmpco_counting) jmpco_heap.on_free(block, size);
  std::free(block);
}

using co_t = jmpco::coroutine<void()>;

// Resumes `co` once. Every benchmark makes its first resume (which fixes the coroutine's stack
// base) from the same function, and so at the same stack depth, as the timed ones: the resumer's
// own frames then never collide with the coroutine's slice, as in a loop that resumes a coroutine.
// Inlined like the peers' resume calls: no extra frame to return through after each switch.
inline bool step(co_t& co) { return static_cast<bool>(co.resume()); }

template <std::size_t N>
co_t make_live_coroutine() {
  return co_t([](jmpco::yielder<void()>& y) {
    bench::live_stack<N> live;
    for (;;) {
      y.yield();
      live.touch();
    }
  });
}

// ---------------------------------------------------------------------------------------------
template <std::size_t N>
void roundtrip(benchmark::State& state) {
  co_t co = make_live_coroutine<N>();
  if (!step(co)) return state.SkipWithError("first resume failed");
  for (auto _ : state) {
    if (!step(co)) {
      state.SkipWithError("resume failed");
      break;
    }
  }
}

// A round trip whose yield is made `Depth` call frames below the body.
template <int Depth>
void yield_depth(benchmark::State& state) {
  co_t co([](jmpco::yielder<void()>& y) {
    auto yield = [&y] { y.yield(); };
    for (;;) bench::yield_through<Depth>(yield);
  });
  if (!step(co)) return state.SkipWithError("first resume failed");
  for (auto _ : state) {
    if (!step(co)) {
      state.SkipWithError("resume failed");
      break;
    }
  }
}

void create_finish_destroy(benchmark::State& state) {
  for (auto _ : state) {
    co_t co([](jmpco::yielder<void()>&) {});
    if (!step(co)) {
      state.SkipWithError("resume failed");
      break;
    }
  }
}

// A chain of `depth` coroutines: each resume of level i resumes level i+1 and then yields; the
// innermost just yields. One iteration = one resume of level 0 = 2*depth switches.
void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::vector<std::unique_ptr<co_t>> levels(static_cast<std::size_t>(depth));
  for (int i = depth - 1; i >= 0; --i) {
    co_t* child = i + 1 < depth ? levels[static_cast<std::size_t>(i) + 1].get() : nullptr;
    levels[static_cast<std::size_t>(i)] =
        std::make_unique<co_t>([child](jmpco::yielder<void()>& y) {
          for (;;) {
            if (child != nullptr && !child->resume()) std::abort();
            y.yield();
          }
        });
  }
  co_t& top = *levels[0];
  if (!step(top)) return state.SkipWithError("first resume failed");
  for (auto _ : state) {
    if (!step(top)) {
      state.SkipWithError("resume failed");
      break;
    }
  }
  state.counters["switches"] = 2.0 * depth;
}

void generator_iteration(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  for (auto _ : state) {
    jmpco::generator<int> numbers([items](jmpco::yielder<int()>& y) {
      for (int i = 0; i < items; ++i) y.yield(i * 3 + 1);
    });
    long long sum = 0;
    for (int v : numbers) {
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * items);
}

// ---------------------------------------------------------------------------------------------
// Memory: kMemoryBatch coroutines created and resumed to their first yield, all suspended at once.
struct memory_figures {
  double object = 0;      // bytes asked for at construction, per coroutine
  double stack_copy = 0;  // bytes asked for by the first resume (the heap copy of the slice)
  bench::heap_count total;
};

void report(benchmark::State& state, const memory_figures& m, int count) {
  const double n = count;
  state.counters["object_bytes"] = m.object / n;
  state.counters["stack_copy_bytes"] = m.stack_copy / n;
  state.counters["requested_bytes"] = static_cast<double>(m.total.requested) / n;
  state.counters["usable_bytes"] = static_cast<double>(m.total.usable) / n;
  state.counters["footprint_bytes"] = static_cast<double>(m.total.footprint()) / n;
  state.counters["blocks"] = static_cast<double>(m.total.blocks) / n;
}

template <class Handle, class Make, class Start>
memory_figures measure_batch(int count, Make make, Start start) {
  std::vector<Handle> handles;
  handles.reserve(static_cast<std::size_t>(count));
  memory_figures m;
  jmpco_counting = true;
  const bench::heap_count before = jmpco_heap;
  for (int i = 0; i < count; ++i) handles.push_back(make());
  const bench::heap_count created = jmpco_heap;
  for (auto& h : handles) start(h);
  const bench::heap_count suspended = jmpco_heap;
  m.object = static_cast<double>(created.requested - before.requested);
  m.stack_copy = static_cast<double>(suspended.requested - created.requested);
  m.total.blocks = suspended.blocks - before.blocks;
  m.total.requested = suspended.requested - before.requested;
  m.total.usable = suspended.usable - before.usable;
  handles.clear();  // closes every coroutine (unwinding its stack) and frees it
  jmpco_counting = false;
  return m;
}

template <std::size_t N>
void memory_live(benchmark::State& state) {
  memory_figures m;
  for (auto _ : state) {
    m = measure_batch<co_t>(
        bench::kMemoryBatch, [] { return make_live_coroutine<N>(); },
        [](co_t& co) {
          if (!step(co)) std::abort();
        });
  }
  report(state, m, bench::kMemoryBatch);
  state.counters["handle_bytes"] = sizeof(co_t);
}

void memory_generator(benchmark::State& state) {
  using gen = jmpco::generator<int>;
  memory_figures m;
  for (auto _ : state) {
    m = measure_batch<gen>(
        bench::kMemoryBatch,
        [] {
          return gen([](jmpco::yielder<int()>& y) {
            for (int i = 0;; ++i) y.yield(i);
          });
        },
        [](gen& g) {
          if (g.begin() == g.end()) std::abort();
        });
  }
  report(state, m, bench::kMemoryBatch);
  state.counters["handle_bytes"] = sizeof(gen);
}

struct register_depth {
  template <int Depth>
  void operator()() const {
    bench::add("depth/jmpco/" + std::to_string(Depth), yield_depth<Depth>);
  }
};

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    const std::string n = std::to_string(N);
    bench::add("roundtrip/jmpco/" + n, roundtrip<N>);
    bench::add("memory/jmpco/" + n, memory_live<N>)->Iterations(1);
  }
};

}  // namespace

namespace bench {

void install_jmpco_allocator() {
  jmpco::allocator a;
  a.allocate = &counting_allocate;
  a.deallocate = &counting_deallocate;
  jmpco::set_allocator(a);
}

void register_jmpco() {
  add_library("jmpco", "jmpco " JMPCO_BENCH_VERSION);
  for_each_live_size(register_sized{});
  for_each_yield_depth(register_depth{});
  bench::add("create/jmpco", create_finish_destroy);
  bench::add("chain/jmpco", chain)->Arg(10)->Arg(100);
  bench::add("generator/jmpco", generator_iteration)->Arg(1000);
  bench::add("memory/jmpco-generator/0", memory_generator)->Iterations(1);
}

}  // namespace bench
