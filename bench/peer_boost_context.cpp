// SPDX-License-Identifier: MIT
// Peer: Boost.Context's boost::context::fiber (fcontext switch in assembly, one separate stack per
// fiber). The timed benchmarks use Boost's own fixedsize_stack(64 KiB), which takes the stack from
// std::malloc; the memory benchmark uses a stack allocator of the same shape that also counts.
#include <benchmark/benchmark.h>

#include <boost/context/fiber.hpp>
#include <boost/context/fixedsize_stack.hpp>
#include <boost/version.hpp>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "common.hpp"
#include "registry.hpp"

namespace {

namespace ctx = boost::context;

ctx::fixedsize_stack small_stack() { return ctx::fixedsize_stack(bench::kPeerStackSize); }

template <std::size_t N>
ctx::fiber make_live_fiber() {
  return ctx::fiber(std::allocator_arg, small_stack(), [](ctx::fiber&& sink) {
    bench::live_stack<N> live;
    for (;;) {
      sink = std::move(sink).resume();
      live.touch();
    }
    return std::move(sink);
  });
}

template <std::size_t N>
void roundtrip(benchmark::State& state) {
  ctx::fiber f = make_live_fiber<N>();
  f = std::move(f).resume();
  for (auto _ : state) f = std::move(f).resume();
}  // destroying the suspended fiber unwinds its stack

// A round trip whose switch back is made `Depth` call frames below the body.
template <int Depth>
void yield_depth(benchmark::State& state) {
  ctx::fiber f(std::allocator_arg, small_stack(), [](ctx::fiber&& sink) {
    auto yield = [&sink] { sink = std::move(sink).resume(); };
    for (;;) bench::yield_through<Depth>(yield);
    return std::move(sink);
  });
  f = std::move(f).resume();
  for (auto _ : state) f = std::move(f).resume();
}

void create_finish_destroy(benchmark::State& state) {
  for (auto _ : state) {
    ctx::fiber f(std::allocator_arg, small_stack(),
                 [](ctx::fiber&& sink) { return std::move(sink); });
    f = std::move(f).resume();  // runs to the end: the fiber's stack is freed on the way out
    benchmark::DoNotOptimize(f);
  }
}

// Level i holds level i+1; each resume of a level resumes its child once, then switches back.
ctx::fiber make_level(ctx::fiber child) {
  return ctx::fiber(std::allocator_arg, small_stack(),
                    [child = std::move(child)](ctx::fiber&& sink) mutable {
                      for (;;) {
                        if (child) child = std::move(child).resume();
                        sink = std::move(sink).resume();
                      }
                      return std::move(sink);
                    });
}

void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  ctx::fiber top;
  for (int i = 0; i < depth; ++i) top = make_level(std::move(top));
  top = std::move(top).resume();
  for (auto _ : state) top = std::move(top).resume();
  state.counters["switches"] = 2.0 * depth;
}

// A generator made of a fiber: the body stores each value where the consumer reads it.
void generator_iteration(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  for (auto _ : state) {
    int current = 0;
    bool done = false;
    ctx::fiber f(std::allocator_arg, small_stack(), [&](ctx::fiber&& sink) {
      for (int i = 0; i < items; ++i) {
        current = i * 3 + 1;
        sink = std::move(sink).resume();
      }
      done = true;
      return std::move(sink);
    });
    long long sum = 0;
    for (;;) {
      f = std::move(f).resume();  // the body sets `current`, or `done` when it has finished
      if (done) break;
      int v = current;
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * items);
}

// Memory: what a suspended fiber allocates is its stack (Boost keeps the fiber's control record
// inside it). Counted with a StackAllocator that takes the stack from malloc like fixedsize_stack.
bench::heap_count fiber_heap;

class counting_stack {
 public:
  explicit counting_stack(std::size_t size) noexcept : size_(size) {}
  ctx::stack_context allocate() {
    void* p = std::malloc(size_);
    if (p == nullptr) throw std::bad_alloc();
    fiber_heap.on_allocate(p, size_);
    ctx::stack_context sctx;
    sctx.size = size_;
    sctx.sp = static_cast<char*>(p) + size_;
    return sctx;
  }
  void deallocate(ctx::stack_context& sctx) noexcept {
    void* p = static_cast<char*>(sctx.sp) - sctx.size;
    fiber_heap.on_free(p, sctx.size);
    std::free(p);
  }

 private:
  std::size_t size_;
};

template <std::size_t N>
void memory(benchmark::State& state) {
  bench::heap_count total;
  for (auto _ : state) {
    std::vector<ctx::fiber> fibers;
    fibers.reserve(bench::kMemoryBatch);
    const bench::heap_count before = fiber_heap;
    for (int i = 0; i < bench::kMemoryBatch; ++i) {
      fibers.emplace_back(std::allocator_arg, counting_stack(bench::kPeerStackSize),
                          [](ctx::fiber&& sink) {
                            bench::live_stack<N> live;
                            for (;;) {
                              sink = std::move(sink).resume();
                              live.touch();
                            }
                            return std::move(sink);
                          });
      fibers.back() = std::move(fibers.back()).resume();
    }
    total.blocks = fiber_heap.blocks - before.blocks;
    total.requested = fiber_heap.requested - before.requested;
    total.usable = fiber_heap.usable - before.usable;
  }
  const double n = bench::kMemoryBatch;
  state.counters["requested_bytes"] = static_cast<double>(total.requested) / n;
  state.counters["usable_bytes"] = static_cast<double>(total.usable) / n;
  state.counters["footprint_bytes"] = static_cast<double>(total.footprint()) / n;
  state.counters["blocks"] = static_cast<double>(total.blocks) / n;
  state.counters["handle_bytes"] = sizeof(ctx::fiber);
}

struct register_depth {
  template <int Depth>
  void operator()() const {
    bench::add("depth/boost-fiber/" + std::to_string(Depth), yield_depth<Depth>);
  }
};

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    const std::string n = std::to_string(N);
    bench::add("roundtrip/boost-fiber/" + n, roundtrip<N>);
    bench::add("memory/boost-fiber/" + n, memory<N>)->Iterations(1);
  }
};

}  // namespace

namespace bench {

void register_boost_context() {
  add_library("boost-fiber", "boost::context::fiber, Boost " +
                                 std::to_string(BOOST_VERSION / 100000) + "." +
                                 std::to_string(BOOST_VERSION / 100 % 1000) +
                                 ", fixedsize_stack(64 KiB) from malloc");
  for_each_live_size(register_sized{});
  for_each_yield_depth(register_depth{});
  bench::add("create/boost-fiber", create_finish_destroy);
  bench::add("chain/boost-fiber", chain)->Arg(10)->Arg(100);
  bench::add("generator/boost-fiber", generator_iteration)->Arg(1000);
}

}  // namespace bench
