// SPDX-License-Identifier: MIT
// Spawn + join: start a task that returns a value and wait for it, one at a time
// (spawn_join/LIB) or 1,000 spawned before any is joined (spawn_join_1000/LIB, one iteration = the
// 1,000). jmpco's scheduler with its cache of finished tasks' memory (the default) and without
// (cache limit 0); Boost.Fiber's boost::fibers::fiber + join, with its default stack and with its
// pooled_fixedsize_stack; a std::thread per task as the far baseline.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <thread>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "registry.hpp"

#if JMPCO_BENCH_HAVE_BOOST_FIBER
#include <boost/fiber/all.hpp>
#endif

namespace {

constexpr std::size_t kBatch = 1000;

// jmpco: the benchmark's loop runs on the thread's main context; join() runs the scheduler.
template <std::size_t CacheLimit>
void jmpco_one(benchmark::State& state) {
  jmpco::scheduler s;
  s.set_cache_limit(CacheLimit);
  int i = 0;
  for (auto _ : state) {
    auto t = s.spawn([](int v) { return v + 1; }, i);
    auto r = t.join();
    if (!r) return state.SkipWithError("join failed");
    i = *r;
  }
  benchmark::DoNotOptimize(i);
}

template <std::size_t CacheLimit>
void jmpco_batch(benchmark::State& state) {
  jmpco::scheduler s;
  s.set_cache_limit(CacheLimit);
  std::vector<jmpco::task<int>> tasks;
  tasks.reserve(kBatch);
  long sum = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kBatch; ++k)
      tasks.push_back(s.spawn([](int v) { return v + 1; }, static_cast<int>(k)));
    for (auto& t : tasks) {
      auto r = t.join();
      if (!r) return state.SkipWithError("join failed");
      sum += *r;
    }
    tasks.clear();
  }
  benchmark::DoNotOptimize(sum);
}

#if JMPCO_BENCH_HAVE_BOOST_FIBER
// Boost.Fiber: a fiber has no result; the body writes it where the joiner reads it.
template <class... Stack>
void boost_one(benchmark::State& state, Stack... stack) {
  int i = 0;
  for (auto _ : state) {
    int r = 0;
    boost::fibers::fiber f(std::allocator_arg, stack..., [&r, i] { r = i + 1; });
    f.join();
    i = r;
  }
  benchmark::DoNotOptimize(i);
}

template <class... Stack>
void boost_batch(benchmark::State& state, Stack... stack) {
  std::vector<boost::fibers::fiber> fibers;
  std::vector<int> results(kBatch);
  fibers.reserve(kBatch);
  long sum = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kBatch; ++k) {
      int* r = &results[k];
      fibers.emplace_back(std::allocator_arg, stack..., [r, k] { *r = static_cast<int>(k) + 1; });
    }
    for (std::size_t k = 0; k < kBatch; ++k) {
      fibers[k].join();
      sum += results[k];
    }
    fibers.clear();
  }
  benchmark::DoNotOptimize(sum);
}

void boost_default_one(benchmark::State& state) {
  boost_one(state, boost::fibers::default_stack());
}
void boost_default_batch(benchmark::State& state) {
  boost_batch(state, boost::fibers::default_stack());
}
void boost_pooled_one(benchmark::State& state) {
  boost_one(state, boost::fibers::pooled_fixedsize_stack());
}
void boost_pooled_batch(benchmark::State& state) {
  boost_batch(state, boost::fibers::pooled_fixedsize_stack());
}
#endif

void thread_one(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) {
    int r = 0;
    std::thread t([&r, i] { r = i + 1; });
    t.join();
    i = r;
  }
  benchmark::DoNotOptimize(i);
}

void thread_batch(benchmark::State& state) {
  std::vector<std::thread> threads;
  std::vector<int> results(kBatch);
  threads.reserve(kBatch);
  long sum = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kBatch; ++k) {
      int* r = &results[k];
      threads.emplace_back([r, k] { *r = static_cast<int>(k) + 1; });
    }
    for (std::size_t k = 0; k < kBatch; ++k) {
      threads[k].join();
      sum += results[k];
    }
    threads.clear();
  }
  benchmark::DoNotOptimize(sum);
}

}  // namespace

namespace bench {

void register_spawn() {
  constexpr std::size_t on = jmpco::scheduler::default_cache_limit;
  add("spawn_join/jmpco", jmpco_one<on>);
  add("spawn_join/jmpco-no-cache", jmpco_one<0>);
  add("spawn_join_1000/jmpco", jmpco_batch<on>);
  add("spawn_join_1000/jmpco-no-cache", jmpco_batch<0>);
#if JMPCO_BENCH_HAVE_BOOST_FIBER
  add_library("boost-fiber-fiber", "boost::fibers::fiber + join, default and pooled stacks");
  add("spawn_join/boost-fiber", boost_default_one);
  add("spawn_join/boost-fiber-pooled", boost_pooled_one);
  add("spawn_join_1000/boost-fiber", boost_default_batch);
  add("spawn_join_1000/boost-fiber-pooled", boost_pooled_batch);
#endif
  add("spawn_join/std-thread", thread_one)->UseRealTime();
  add("spawn_join_1000/std-thread", thread_batch)->UseRealTime();
}

}  // namespace bench
