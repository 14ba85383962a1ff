// SPDX-License-Identifier: MIT
// The scheduler's cache of finished tasks' memory (scheduler::set_cache_limit): spawn reuses it,
// its limit holds, and nothing of a finished task but its memory reaches the task that reuses it.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

#if JMPCO_THREADS
#include <thread>
#endif

namespace {

using jmpco::errc;
using jmpco::scheduler;
using jmpco_test::counted;

// Counts what jmpco's allocator serves, and checks that every block goes back with the size it
// was allocated with.
struct counting_heap {
  static inline long allocations = 0;
  static inline long wrong_sizes = 0;
  static inline std::map<void*, std::size_t>* blocks = nullptr;

  static void* allocate(std::size_t size, void*) {
    void* block = std::malloc(size);
    if (block == nullptr) return nullptr;
    ++allocations;
    (*blocks)[block] = size;
    return block;
  }
  static void deallocate(void* block, std::size_t size, void*) {
    auto at = blocks->find(block);
    if (at == blocks->end() || at->second != size) ++wrong_sizes;
    if (at != blocks->end()) blocks->erase(at);
    std::free(block);
  }
  static long live() { return static_cast<long>(blocks->size()); }
};

// Runs `program` on a fresh thread with the counting allocator installed; afterwards every block
// must be back, each with its own size.
template <class F>
void with_counting_heap(F program) {
  std::map<void*, std::size_t> blocks;
  counting_heap::blocks = &blocks;
  counting_heap::allocations = counting_heap::wrong_sizes = 0;
  jmpco::set_allocator({&counting_heap::allocate, &counting_heap::deallocate, nullptr});
  jmpco_test::on_fresh_thread(program);
  jmpco::set_allocator({});
  EXPECT_EQ(blocks.size(), 0u) << "blocks leaked";
  EXPECT_EQ(counting_heap::wrong_sizes, 0) << "blocks freed with another size";
  counting_heap::blocks = nullptr;
}

// Allocations made by `n` spawn + join of a task that returns a value.
long allocations_of_spawn_joins(scheduler& s, int n) {
  const long before = counting_heap::allocations;
  for (int i = 0; i < n; ++i) {
    auto r = s.spawn([](int v) { return v * 2; }, i).join();
    EXPECT_EQ(r.ok() ? *r : -1, i * 2);
  }
  return counting_heap::allocations - before;
}

// A task that blocks once (its stack is copied out) with `fill` in a live local buffer, and
// checks the buffer after it is resumed.
bool blocks_and_keeps_its_stack(char fill) {
  volatile char live[256];
  for (auto& c : live) c = fill;
  if (!jmpco::this_task::yield()) return false;
  for (const auto& c : live) {
    if (c != fill) return false;
  }
  return true;
}

TEST(SchedulerCache, ASpawnAfterAJoinReusesTheFinishedTasksMemory) {
  with_counting_heap([] {
    scheduler s;
    EXPECT_EQ(s.cache_limit(), scheduler::default_cache_limit);
    EXPECT_EQ(allocations_of_spawn_joins(s, 1), 2);  // the task block and its coroutine object
    EXPECT_GT(s.cached_bytes(), 0u);
    EXPECT_EQ(allocations_of_spawn_joins(s, 100), 0);
  });
}

TEST(SchedulerCache, LimitsOfZeroAndOneByteKeepNothing) {
  for (const std::size_t limit : {std::size_t{0}, std::size_t{1}}) {
    with_counting_heap([limit] {
      scheduler s;
      s.set_cache_limit(limit);
      EXPECT_EQ(allocations_of_spawn_joins(s, 50), 100) << "limit " << limit;
      EXPECT_EQ(s.cached_bytes(), 0u);
    });
  }
}

TEST(SchedulerCache, AHugeLimitKeepsEveryBlockUntilItIsLowered) {
  with_counting_heap([] {
    scheduler s;
    s.set_cache_limit(static_cast<std::size_t>(-1));
    std::vector<jmpco::task<int>> tasks;
    for (int i = 0; i < 1000; ++i) tasks.push_back(s.spawn([i] { return i; }));
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(tasks[static_cast<std::size_t>(i)].join().value(), i);
    const long live_with_cache = counting_heap::live();
    const std::size_t kept = s.cached_bytes();
    EXPECT_GE(kept, 2000u * 16u);  // two blocks per task
    // The next 1000 come out of the cache.
    tasks.clear();
    const long before = counting_heap::allocations;
    for (int i = 0; i < 1000; ++i) tasks.push_back(s.spawn([i] { return i; }));
    EXPECT_EQ(counting_heap::allocations, before);
    for (auto& t : tasks) EXPECT_TRUE(t.join().ok());
    EXPECT_EQ(s.cached_bytes(), kept);
    // Lowered to half: what is over it goes back at once; to 0: all of it.
    s.set_cache_limit(kept / 2);
    EXPECT_LE(s.cached_bytes(), kept / 2);
    EXPECT_LT(counting_heap::live(), live_with_cache);
    s.set_cache_limit(0);
    EXPECT_EQ(s.cached_bytes(), 0u);
    EXPECT_EQ(counting_heap::live(), live_with_cache - 2000);
  });
}

TEST(SchedulerCache, TheLimitHoldsWhileManyTasksFinish) {
  with_counting_heap([] {
    scheduler s;
    s.set_cache_limit(1000);
    std::vector<jmpco::task<void>> tasks;
    for (int i = 0; i < 100; ++i) tasks.push_back(s.spawn([] {}));
    for (auto& t : tasks) {
      EXPECT_TRUE(t.join().ok());
      EXPECT_LE(s.cached_bytes(), 1000u);
    }
    EXPECT_GT(s.cached_bytes(), 0u);
  });
}

TEST(SchedulerCache, ABlockedTasksStackCopyIsReusedWithoutItsBytesMattering) {
  with_counting_heap([] {
    scheduler s;
    auto first = s.spawn([] { return blocks_and_keeps_its_stack('a'); });
    auto other = s.spawn([] { return blocks_and_keeps_its_stack('b'); });
    EXPECT_TRUE(first.join().value());
    EXPECT_TRUE(other.join().value());
    // Same blocks, same stack depth: the copies kept are big enough, nothing is allocated.
    const long before = counting_heap::allocations;
    auto again = s.spawn([] { return blocks_and_keeps_its_stack('c'); });
    auto more = s.spawn([] { return blocks_and_keeps_its_stack('d'); });
    EXPECT_TRUE(again.join().value());
    EXPECT_TRUE(more.join().value());
    EXPECT_EQ(counting_heap::allocations, before);
  });
}

TEST(SchedulerCache, ASmallerCachedStackCopyIsReplacedWhenTheTaskNeedsMore) {
  with_counting_heap([] {
    scheduler s;
    auto small = s.spawn([] { return jmpco::this_task::yield().ok(); });
    EXPECT_TRUE(small.join().value());
    auto big = s.spawn([] {
      volatile char live[8192];
      for (auto& c : live) c = 'x';
      if (!jmpco::this_task::yield()) return false;
      for (const auto& c : live) {
        if (c != 'x') return false;
      }
      return true;
    });
    EXPECT_TRUE(big.join().value());
  });
}

TEST(SchedulerCache, AThrowingTaskLeavesNoErrorToTheTaskThatReusesItsMemory) {
  with_counting_heap([] {
    scheduler s;
    auto thrower = s.spawn([]() -> std::string {
#if JMPCO_EXCEPTIONS
      throw std::runtime_error("boom");
#else
      jmpco::this_coroutine::raise(jmpco::error(errc::raised));
#endif
    });
    EXPECT_FALSE(thrower.join().ok());
    const long before = counting_heap::allocations;
    auto next = s.spawn([] { return std::string("fresh"); });
    EXPECT_EQ(counting_heap::allocations, before);  // reused
    auto r = next.join();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, "fresh");
  });
}

TEST(SchedulerCache, AKilledTaskRunsEachDestructorOnceAndLeavesNoResult) {
  jmpco_test::counters_reset reset;
  with_counting_heap([] {
    scheduler s;
    // Killed while blocked, holding a counted object on its stack and one in its arguments.
    auto victim = s.spawn(
        [](counted) {
          counted on_stack;
          (void)jmpco::this_task::yield();
          (void)jmpco::this_task::yield();
          return std::string("never");
        },
        counted());
    EXPECT_EQ(s.run_once(), 1u);
    EXPECT_TRUE(victim.kill().ok());
    EXPECT_EQ(victim.join().code(), errc::killed);
    // Killed before it ever ran: its result slot was never filled.
    auto unstarted = s.spawn([] { return std::string("never either"); });
    EXPECT_TRUE(unstarted.kill().ok());
    EXPECT_EQ(unstarted.join().code(), errc::killed);
    // The tasks that reuse their memory start empty and give their own results.
    const long before = counting_heap::allocations;
    auto a = s.spawn([] { return std::string("a"); });  // the blocks of `unstarted`
    EXPECT_EQ(counting_heap::allocations, before);
    auto b = s.spawn([] { return std::string("b"); });  // the task block of `victim`
    EXPECT_EQ(a.join().value(), "a");
    EXPECT_EQ(b.join().value(), "b");
    // A killed task that was reused and never ran still reports killed, not a stale result.
    auto c = s.spawn([] { return std::string("c"); });
    EXPECT_TRUE(c.kill().ok());
    EXPECT_EQ(c.join().code(), errc::killed);
  });
  EXPECT_EQ(counted::alive, 0);
#if JMPCO_EXCEPTIONS
  EXPECT_GE(counted::destroyed, 2);  // the argument (and its copies) and the one on the stack
#endif
}

TEST(SchedulerCache, ADetachedTaskThatFailsIsReportedOnceAndItsMemoryReused) {
  with_counting_heap([] {
    scheduler s;
    s.spawn([] { jmpco::this_coroutine::raise(jmpco::error(errc::raised)); }).detach();
    EXPECT_TRUE(s.run().ok());
    EXPECT_EQ(s.unjoined_failures(), 1u);
    const long before = counting_heap::allocations;
    auto next = s.spawn([] {});
    EXPECT_EQ(counting_heap::allocations, before);
    EXPECT_TRUE(next.join().ok());
    EXPECT_EQ(s.unjoined_failures(), 1u);
  });
}

TEST(SchedulerCache, TasksSpawnedFromInsideATaskReuseTheirSiblingsMemory) {
  with_counting_heap([] {
    scheduler s;
    long inner_allocations = -1;
    auto parent = s.spawn([&] {
      int sum = 0;
      sum += scheduler::current()->spawn([] { return 1; }).join().value();
      const long before = counting_heap::allocations;
      for (int i = 0; i < 10; ++i)
        sum += scheduler::current()->spawn([] { return 1; }).join().value();
      inner_allocations = counting_heap::allocations - before;
      return sum;
    });
    EXPECT_EQ(parent.join().value(), 11);
    EXPECT_EQ(inner_allocations, 0);
  });
}

TEST(SchedulerCache, BlocksOfManySizesAreCachedOrFreedNeverLost) {
  with_counting_heap([] {
    scheduler s;
    // Tasks whose bodies have many different sizes: more sizes than the cache keeps lists for.
    auto run_sized = [&s](auto filler) {
      auto t = s.spawn([](auto f) { return f.size(); }, filler);
      EXPECT_EQ(t.join().value(), filler.size());
    };
    run_sized(std::array<char, 16>{});
    run_sized(std::array<char, 48>{});
    run_sized(std::array<char, 80>{});
    run_sized(std::array<char, 112>{});
    run_sized(std::array<char, 144>{});
    run_sized(std::array<char, 176>{});
    run_sized(std::array<char, 208>{});
    run_sized(std::array<char, 240>{});
    run_sized(std::array<char, 272>{});
    run_sized(std::array<char, 304>{});
    EXPECT_GT(s.cached_bytes(), 0u);
  });
}

TEST(SchedulerCache, DestroyingASchedulerWithAFullCacheFreesItAndZombiesStillJoin) {
  jmpco_test::counters_reset reset;
  with_counting_heap([] {
    jmpco::task<int> zombie;
    jmpco::task<void> killed_by_destruction;
    {
      scheduler s;
      s.set_cache_limit(static_cast<std::size_t>(-1));
      EXPECT_EQ(allocations_of_spawn_joins(s, 20), 2);
      zombie = s.spawn([] { return 7; });
      killed_by_destruction = s.spawn(
          [](counted) { (void)jmpco::this_task::sleep_for(std::chrono::hours(1)); }, counted());
      EXPECT_EQ(s.run_once(), 2u);
      EXPECT_TRUE(zombie.done());
      EXPECT_TRUE(s.spawn([] { return 1.5; }).join().ok());
      EXPECT_GT(s.cached_bytes(), 0u);
    }
    // The zombie's memory goes straight back to the allocator when its handle lets go.
    EXPECT_EQ(zombie.join().value(), 7);
    EXPECT_EQ(killed_by_destruction.join().code(), errc::killed);
  });
  EXPECT_EQ(counted::alive, 0);
}

#if JMPCO_EXCEPTIONS
TEST(SchedulerCache, ASpawnWhoseArgumentsThrowWhenMovedLeavesItsBlocksInTheCache) {
  with_counting_heap([] {
    scheduler s;
    auto value_of = [](jmpco_test::throwing_move v) { return v.value; };
    // Copied into spawn's tuple (a copy never throws), then moved into the coroutine object.
    const jmpco_test::throwing_move bad(2, true);
    EXPECT_THROW((void)s.spawn(value_of, bad), std::runtime_error);
    EXPECT_EQ(s.live_tasks(), 0u);
    EXPECT_GT(s.cached_bytes(), 0u);  // both blocks, taken back
    const long before = counting_heap::allocations;
    const jmpco_test::throwing_move good(3, false);
    auto t = s.spawn(value_of, good);
    EXPECT_EQ(counting_heap::allocations, before);
    EXPECT_EQ(t.join().value(), 3);
  });
}
#endif

#if JMPCO_THREADS
TEST(SchedulerCache, SchedulersOnTwoThreadsEachReuseTheirOwnCache) {
  auto spawn_joins = [](long* sum) {
    scheduler s;
    for (int i = 0; i < 20000; ++i) {
      auto t = s.spawn([](int v) { return v % 7; }, i);
      if (auto r = t.join()) *sum += *r;
    }
  };
  long a = 0;
  long b = 0;
  std::thread one(spawn_joins, &a);
  std::thread two(spawn_joins, &b);
  one.join();
  two.join();
  long want = 0;
  for (int i = 0; i < 20000; ++i) want += i % 7;
  EXPECT_EQ(a, want);
  EXPECT_EQ(b, want);
}
#endif

TEST(SchedulerCache, EveryAllocationFailingInTurnLeavesNothingBehind) {
  auto program = [] {
    scheduler s;
    s.set_cache_limit(4096);
    jmpco::channel<int> numbers(0);
    auto producer = s.spawn([&] {
      for (int i = 0; i < 3; ++i) {
        if (!numbers.send(i)) break;
      }
      (void)numbers.close();
    });
    auto consumer = s.spawn([&] {
      int sum = 0;
      while (auto v = numbers.recv()) sum += *v;
      // Spawned from inside: these may reuse the memory of tasks that finished.
      for (int i = 0; i < 3; ++i) {
        auto r = scheduler::current()->spawn([] { return 1; }).join();
        if (r) sum += *r;
      }
      return sum;
    });
    (void)consumer.join();
    auto late = s.spawn([] { return jmpco::this_task::yield().ok(); });
    (void)late.join();
    auto victim = s.spawn([] { (void)jmpco::this_task::yield(); });
    (void)s.run_once();
    (void)victim.kill();
    s.set_cache_limit(0);
    auto after = s.spawn([] { return 3; });
    (void)after.join();
  };
  jmpco_test::each_allocation_failing run([&] { jmpco_test::on_fresh_thread(program); }, 500);
  EXPECT_GT(run.runs, 5);
  EXPECT_LT(run.runs, 500);
  EXPECT_EQ(run.leaking_runs, 0);
}

}  // namespace
