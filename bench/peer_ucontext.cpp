// SPDX-License-Identifier: MIT
// Peer: POSIX ucontext (getcontext/makecontext/swapcontext from glibc), one malloc'ed 64 KiB stack
// per coroutine. glibc's swapcontext saves and restores the signal mask with a system call on
// every switch.
#include <benchmark/benchmark.h>
#include <ucontext.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "common.hpp"
#include "registry.hpp"

namespace {

bench::heap_count uc_heap;
bool uc_counting = false;

void* counted_malloc(std::size_t n) {
  void* p = std::malloc(n);
  if (p == nullptr) std::abort();
  if (uc_counting) uc_heap.on_allocate(p, n);
  return p;
}
void counted_free(void* p, std::size_t n) {
  if (uc_counting) uc_heap.on_free(p, n);
  std::free(p);
}

// A coroutine: its own context, the context of whoever resumed it, and its stack.
struct uc_coroutine {
  ucontext_t self;
  ucontext_t caller;
  void* stack = nullptr;
  void (*body)(uc_coroutine*) = nullptr;
  uc_coroutine* child = nullptr;  // for the chains
  bool stop = false;
  bool finished = false;

  void resume() { swapcontext(&caller, &self); }
  void yield() { swapcontext(&self, &caller); }
};

// makecontext passes int arguments only: the pointer travels as two halves.
void entry(unsigned hi, unsigned lo) {
  auto* co = reinterpret_cast<uc_coroutine*>((static_cast<std::uintptr_t>(hi) << 32) | lo);
  co->body(co);
  co->finished = true;  // returning continues at uc_link = caller
}

uc_coroutine* create(void (*body)(uc_coroutine*), uc_coroutine* child = nullptr) {
  auto* co = static_cast<uc_coroutine*>(counted_malloc(sizeof(uc_coroutine)));
  new (co) uc_coroutine();
  co->body = body;
  co->child = child;
  co->stack = counted_malloc(bench::kPeerStackSize);
  getcontext(&co->self);
  co->self.uc_stack.ss_sp = co->stack;
  co->self.uc_stack.ss_size = bench::kPeerStackSize;
  co->self.uc_link = &co->caller;
  const auto bits = reinterpret_cast<std::uintptr_t>(co);
  makecontext(&co->self, reinterpret_cast<void (*)()>(&entry), 2, static_cast<unsigned>(bits >> 32),
              static_cast<unsigned>(bits & 0xffffffffu));
  return co;
}

// Lets a suspended body return, then frees everything.
void destroy(uc_coroutine* co) {
  if (!co->finished) {
    co->stop = true;
    co->resume();
  }
  counted_free(co->stack, bench::kPeerStackSize);
  co->~uc_coroutine();
  counted_free(co, sizeof(uc_coroutine));
}

template <std::size_t N>
void live_body(uc_coroutine* co) {
  bench::live_stack<N> live;
  for (;;) {
    co->yield();
    if (co->stop) return;
    live.touch();
  }
}

template <std::size_t N>
void roundtrip(benchmark::State& state) {
  uc_coroutine* co = create(&live_body<N>);
  co->resume();
  for (auto _ : state) co->resume();
  destroy(co);
}

void create_finish_destroy(benchmark::State& state) {
  for (auto _ : state) {
    uc_coroutine* co = create([](uc_coroutine*) {});
    co->resume();
    destroy(co);
  }
}

void level_body(uc_coroutine* co) {
  for (;;) {
    if (co->child != nullptr) co->child->resume();
    co->yield();
    if (co->stop) break;
  }
  if (co->child != nullptr) destroy(co->child);
}

void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  uc_coroutine* top = nullptr;
  for (int i = 0; i < depth; ++i) top = create(&level_body, top);
  top->resume();
  for (auto _ : state) top->resume();
  destroy(top);
  state.counters["switches"] = 2.0 * depth;
}

struct gen_state {
  int items;
  int current;
};
thread_local gen_state* current_gen = nullptr;

void generator_body(uc_coroutine* co) {
  gen_state* g = current_gen;
  for (int i = 0; i < g->items; ++i) {
    g->current = i * 3 + 1;
    co->yield();
  }
}

void generator_iteration(benchmark::State& state) {
  gen_state g{static_cast<int>(state.range(0)), 0};
  current_gen = &g;
  for (auto _ : state) {
    uc_coroutine* co = create(&generator_body);
    long long sum = 0;
    for (co->resume(); !co->finished; co->resume()) {
      int v = g.current;
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
    destroy(co);
  }
  state.SetItemsProcessed(state.iterations() * g.items);
}

template <std::size_t N>
void memory(benchmark::State& state) {
  bench::heap_count total;
  for (auto _ : state) {
    std::vector<uc_coroutine*> cos;
    cos.reserve(bench::kMemoryBatch);
    uc_counting = true;
    const bench::heap_count before = uc_heap;
    for (int i = 0; i < bench::kMemoryBatch; ++i) {
      cos.push_back(create(&live_body<N>));
      cos.back()->resume();
    }
    total.blocks = uc_heap.blocks - before.blocks;
    total.requested = uc_heap.requested - before.requested;
    total.usable = uc_heap.usable - before.usable;
    for (uc_coroutine* co : cos) destroy(co);
    uc_counting = false;
  }
  const double n = bench::kMemoryBatch;
  state.counters["requested_bytes"] = static_cast<double>(total.requested) / n;
  state.counters["usable_bytes"] = static_cast<double>(total.usable) / n;
  state.counters["footprint_bytes"] = static_cast<double>(total.footprint()) / n;
  state.counters["blocks"] = static_cast<double>(total.blocks) / n;
}

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    const std::string n = std::to_string(N);
    bench::add("roundtrip/ucontext/" + n, roundtrip<N>);
    bench::add("memory/ucontext/" + n, memory<N>)->Iterations(1);
  }
};

}  // namespace

namespace bench {

void register_ucontext() {
  add_library("ucontext", "glibc getcontext/makecontext/swapcontext, 64 KiB malloc'ed stack");
  for_each_live_size(register_sized{});
  bench::add("create/ucontext", create_finish_destroy);
  bench::add("chain/ucontext", chain)->Arg(10)->Arg(100);
  bench::add("generator/ucontext", generator_iteration)->Arg(1000);
}

}  // namespace bench
