// SPDX-License-Identifier: MIT
// All memory goes through the replaceable allocator, and running out of it is an error that
// leaves every coroutine intact and resumable.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

namespace {

using sig = int(int);
using yielder = jmpco::yielder<sig>;

struct counting_allocator {
  static inline long live_blocks = 0;
  static inline long total_allocations = 0;
  static inline bool failing = false;
  static void* allocate(std::size_t size, void*) {
    if (failing) return nullptr;
    ++live_blocks;
    ++total_allocations;
    return std::malloc(size);
  }
  static void deallocate(void* block, std::size_t, void*) {
    --live_blocks;
    std::free(block);
  }
};

struct install_counting_allocator {
  install_counting_allocator() {
    counting_allocator::live_blocks = counting_allocator::total_allocations = 0;
    counting_allocator::failing = false;
    jmpco::set_allocator({&counting_allocator::allocate, &counting_allocator::deallocate, nullptr});
  }
  ~install_counting_allocator() { jmpco::set_allocator({}); }
};

using jmpco_test::on_fresh_thread;

int echo_body(yielder& y, int v) {
  for (;;) v = y.yield(v + 1);
}

template <class F>
JMPCO_NOINLINE int from_deeper_frames(int depth, F& fn) {
  volatile char pad[1024];
  pad[0] = 0;
  return depth == 0 ? fn() : from_deeper_frames(depth - 1, fn) + pad[0];
}

TEST(Allocator, EveryBlockGoesThroughTheInstalledAllocatorAndComesBack) {
  install_counting_allocator installed;
  on_fresh_thread([] {
    jmpco::coroutine<sig> co(&echo_body);
    EXPECT_EQ(co.resume(1).value(), 2);
    EXPECT_EQ(co.resume(5).value(), 6);
    EXPECT_GT(counting_allocator::total_allocations, 1);  // the object and its stack copies
  });
  EXPECT_EQ(counting_allocator::live_blocks, 0);
}

TEST(Allocator, CreationFailureGivesAnEmptyHandle) {
  install_counting_allocator installed;
  on_fresh_thread([] {
    counting_allocator::failing = true;
    jmpco::coroutine<sig> co(&echo_body);
    counting_allocator::failing = false;
    EXPECT_FALSE(co);
    EXPECT_EQ(co.resume(1).code(), jmpco::errc::empty_handle);
  });
}

TEST(Allocator, FailureWhileSavingForAResumeLeavesTheCoroutineResumable) {
  install_counting_allocator installed;
  on_fresh_thread([] {
    jmpco::coroutine<sig> co(&echo_body);
    ASSERT_EQ(co.resume(1).value(), 2);
    // From deeper frames the resumer's own bytes must be saved first: make that allocation fail.
    counting_allocator::failing = true;
    jmpco::errc failed = jmpco::errc::ok;
    auto attempt = [&] {
      failed = co.resume(10).code();
      return 0;
    };
    from_deeper_frames(16, attempt);
    counting_allocator::failing = false;
    EXPECT_EQ(failed, jmpco::errc::out_of_memory);
    EXPECT_STREQ(jmpco::message(failed), "not enough memory");
    EXPECT_EQ(co.status(), jmpco::status::suspended);
    int value = 0;
    auto retry = [&] { return value = co.resume(10).value(); };
    from_deeper_frames(16, retry);
    EXPECT_EQ(value, 11);
  });
}

// Found by scenario_fuzzer. A switch that must save several contexts allocates every copy before
// it copies a byte: had the running coroutine's bytes been saved before a later allocation failed,
// they would count as saved while it went on changing them, and its next switch would keep the
// stale copy.
TEST(Allocator, FailureWhileSavingForAResumeLosesNoneOfTheResumersLaterChanges) {
  install_counting_allocator installed;
  on_fresh_thread([] {
    jmpco::coroutine<sig> shallow(&echo_body);  // its slice begins high up: it starts here
    ASSERT_EQ(shallow.resume(1).value(), 2);
    int outcome = 0;
    auto from_deep = [&] {
      // Started far below, so resuming `shallow` from it must save all of it and the part of the
      // main context inside shallow's slice: the first from its existing copy, the second in a
      // new one, which is refused.
      jmpco::coroutine<sig> deep([&](yielder& y, int) {
        volatile int marker = 1;
        // A first yield from 2 KiB further down gives it a heap copy larger than the saves below
        // need: saving it allocates nothing.
        auto pause = [&] { return y.yield(0); };
        from_deeper_frames(2, pause);
        counting_allocator::failing = true;
        const jmpco::errc refused = shallow.resume(5).code();
        counting_allocator::failing = false;
        if (refused != jmpco::errc::out_of_memory) return -1;
        marker = 2;  // changed after the failed switch: must survive the next one
        const int echoed = shallow.resume(7).value();
        return marker * 100 + echoed;
      });
      if (deep.resume(0).value() != 0) return 0;
      outcome = deep.resume(0).value();
      return 0;
    };
    from_deeper_frames(16, from_deep);
    EXPECT_EQ(outcome, 208);
  });
}

TEST(Allocator, FailureWhileSavingForAYieldKeepsTheCoroutineRunning) {
  install_counting_allocator installed;
  on_fresh_thread([] {
    jmpco::coroutine<sig> co([](yielder& y, int v) {
      // This first yield must allocate the heap copy of an 8 KiB stack: refuse it once.
      volatile char big[8192];
      big[0] = static_cast<char>(v);
      counting_allocator::failing = true;
      jmpco::result<int> refused = y.try_yield(-1);
      counting_allocator::failing = false;
      if (refused.code() != jmpco::errc::out_of_memory) return -2;
      int next = y.yield(big[0] + 1);  // succeeds now
      return next * 2;
    });
    ASSERT_EQ(co.resume(3).value(), 4);
    EXPECT_EQ(co.resume(21).value(), 42);
  });
}

TEST(Allocator, GetAllocatorReturnsTheInstalledOneAndTheDefaultAfterAReset) {
  const jmpco::allocator original = jmpco::get_allocator();
  ASSERT_NE(original.allocate, nullptr);
  ASSERT_NE(original.deallocate, nullptr);
  int user_data = 0;
  jmpco::set_allocator(
      {&counting_allocator::allocate, &counting_allocator::deallocate, &user_data});
  const jmpco::allocator installed = jmpco::get_allocator();
  EXPECT_EQ(installed.allocate, &counting_allocator::allocate);
  EXPECT_EQ(installed.deallocate, &counting_allocator::deallocate);
  EXPECT_EQ(installed.user, &user_data);
  // An allocator with a null function restores the default: get_allocator says so.
  jmpco::set_allocator({&counting_allocator::allocate, nullptr, nullptr});
  const jmpco::allocator restored = jmpco::get_allocator();
  EXPECT_EQ(restored.allocate, original.allocate);
  EXPECT_EQ(restored.deallocate, original.deallocate);
  EXPECT_EQ(restored.user, original.user);
}

// What get_allocator is for: a layer installed over the allocator that was there before it.
struct counting_layer {
  static inline jmpco::allocator below;
  static inline long live_blocks = 0;
  static void* allocate(std::size_t size, void*) {
    void* block = below.allocate(size, below.user);
    if (block != nullptr) ++live_blocks;
    return block;
  }
  static void deallocate(void* block, std::size_t size, void*) {
    --live_blocks;
    below.deallocate(block, size, below.user);
  }
};

TEST(Allocator, ALayerOverGetAllocatorSeesEveryBlockAndPassesItOn) {
  install_counting_allocator bottom;
  counting_layer::below = jmpco::get_allocator();
  counting_layer::live_blocks = 0;
  jmpco::set_allocator({&counting_layer::allocate, &counting_layer::deallocate, nullptr});
  on_fresh_thread([] {
    jmpco::coroutine<sig> co(&echo_body);
    EXPECT_EQ(co.resume(1).value(), 2);
    EXPECT_GT(counting_layer::live_blocks, 0);
    EXPECT_EQ(counting_layer::live_blocks, counting_allocator::live_blocks);
  });
  EXPECT_EQ(counting_layer::live_blocks, 0);
  EXPECT_EQ(counting_allocator::live_blocks, 0);
  EXPECT_GT(counting_allocator::total_allocations, 0);
}

// Two allocators that tag their blocks (a header before each), and count the blocks given back to
// the wrong one.
template <int Tag>
struct tagging_allocator {
  static inline long live_blocks = 0;
  static inline long foreign_frees = 0;
  static void* allocate(std::size_t size, void*) {
    auto* header = static_cast<long*>(std::malloc(size + 16));
    if (header == nullptr) return nullptr;
    *header = Tag;
    ++live_blocks;
    return reinterpret_cast<char*>(header) + 16;
  }
  static void deallocate(void* block, std::size_t, void*) {
    auto* header = reinterpret_cast<long*>(static_cast<char*>(block) - 16);
    if (*header != Tag) {
      ++foreign_frees;  // not ours: leaked rather than freed wrongly
      return;
    }
    --live_blocks;
    std::free(header);
  }
  static jmpco::allocator hooks() { return {&allocate, &deallocate, nullptr}; }
};
using first_allocator = tagging_allocator<1>;
using second_allocator = tagging_allocator<2>;

// A task that makes its scheduler's long-lived blocks: the wait object (a sleep) and, on POSIX,
// the fd table (a wait for a pipe's reading end); it leaves a value in `ch`'s buffer.
int make_the_schedulers_blocks(jmpco::channel<int>& ch) {
  EXPECT_TRUE(ch.send(1).ok());
  EXPECT_TRUE(jmpco::this_task::sleep_for(std::chrono::milliseconds(1)).ok());
#if defined(__unix__) || defined(__APPLE__)
  int ends[2] = {-1, -1};
  EXPECT_EQ(::pipe(ends), 0);
  EXPECT_EQ(jmpco::this_task::wait_readable(ends[0], std::chrono::milliseconds(1)).code(),
            jmpco::errc::timed_out);
  ::close(ends[0]);
  ::close(ends[1]);
#endif
  return 1;
}

// allocator.hpp: with no coroutine object left the allocator may be replaced; the blocks that
// outlive them (a channel's buffer, a scheduler's cache, wait object and fd table) go back to
// the allocator that gave them, and the cache starts over with the new one.
TEST(Allocator, BlocksThatOutliveTheCoroutinesGoBackToTheAllocatorThatGaveThem) {
  jmpco::set_allocator(first_allocator::hooks());
  on_fresh_thread([] {
    {
      jmpco::scheduler s;
      jmpco::channel<int> ch(4);  // its buffer from the first allocator
      EXPECT_TRUE(s.spawn([&] { return make_the_schedulers_blocks(ch); }).join().ok());
      EXPECT_GT(s.cached_bytes(), 0u);  // the task's memory, from the first allocator
      jmpco::set_allocator(second_allocator::hooks());  // no coroutine object exists now
      // A new task: the cache goes back to the first allocator, the task's memory comes from the
      // second, and so does the cache from then on.
      EXPECT_TRUE(s.spawn([] { return 2; }).join().ok());
      EXPECT_GT(second_allocator::live_blocks, 0);
      s.set_cache_limit(0);
      EXPECT_EQ(ch.try_recv().value(), 1);
    }  // the channel's buffer, the wait object and the fd table: to the first allocator
    jmpco::set_allocator(first_allocator::hooks());  // the thread's own buffer came from it
  });
  jmpco::set_allocator({});
  EXPECT_EQ(first_allocator::foreign_frees, 0);
  EXPECT_EQ(second_allocator::foreign_frees, 0);
  EXPECT_EQ(first_allocator::live_blocks, 0);
  EXPECT_EQ(second_allocator::live_blocks, 0);
}

}  // namespace
