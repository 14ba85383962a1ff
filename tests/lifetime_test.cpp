// SPDX-License-Identifier: MIT
// Closing or destroying a suspended coroutine runs the destructors of every object alive on its
// stack exactly once (forced unwind); a coroutine is freed exactly once whatever the order.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "jmpco/jmpco.hpp"

namespace {

using sig = void();
using yielder = jmpco::yielder<sig>;

struct counted {
  static inline int alive = 0;
  static inline int destroyed = 0;
  counted() { ++alive; }
  counted(const counted&) { ++alive; }
  ~counted() {
    --alive;
    ++destroyed;
  }
};

struct counters_reset {
  counters_reset() { counted::alive = counted::destroyed = 0; }
};

JMPCO_NOINLINE void nested_frames_then_yield(yielder& y, int depth) {
  counted here;
  if (depth == 0) {
    y.yield();
    y.yield();
    return;
  }
  nested_frames_then_yield(y, depth - 1);
}

TEST(Lifetime, CloseRunsEveryDestructorOnTheSuspendedStackOnce) {
  counters_reset reset;
  jmpco::coroutine<sig> co([](yielder& y) {
    counted top;
    nested_frames_then_yield(y, 9);  // 10 more objects, one per frame
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(counted::alive, 11);
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 11);
  EXPECT_EQ(co.status(), jmpco::status::dead);
  EXPECT_TRUE(co.close().ok());  // closing a dead coroutine again is fine
  EXPECT_EQ(counted::destroyed, 11);
}

TEST(Lifetime, DestroyingTheHandleOfASuspendedCoroutineClosesIt) {
  counters_reset reset;
  {
    jmpco::coroutine<sig> co([](yielder& y) { nested_frames_then_yield(y, 4); });
    ASSERT_TRUE(co.resume().ok());
    EXPECT_EQ(counted::alive, 5);
  }
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 5);
}

TEST(Lifetime, CapturedStateOfANeverStartedCoroutineIsDestroyedOnce) {
  counters_reset reset;
  {
    counted captured;
    jmpco::coroutine<sig> co([captured](yielder&) {});
    EXPECT_EQ(counted::alive, 2);
  }
  EXPECT_EQ(counted::alive, 0);
}

TEST(Lifetime, CatchAllThatRethrowsLetsTheUnwindFinish) {
  counters_reset reset;
  bool saw_unwind = false;
  jmpco::coroutine<sig> co([&](yielder& y) {
    counted here;
    try {
      y.yield();
    } catch (...) {
      saw_unwind = true;
      throw;  // the rule for catch (...) inside a coroutine
    }
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_TRUE(saw_unwind);
  EXPECT_EQ(counted::alive, 0);
}

TEST(Lifetime, ErrorThrownWhileClosingIsWhatCloseReturns) {
  jmpco::coroutine<sig> co([](yielder& y) {
    try {
      y.yield();
    } catch (const jmpco::forced_unwind&) {
      throw std::runtime_error("cleanup failed");
    }
  });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> r = co.close();
  ASSERT_FALSE(r.ok());
  EXPECT_STREQ(r.error().what(), "cleanup failed");
  EXPECT_EQ(co.status(), jmpco::status::dead);
}

// The untyped core used directly, as the Lua replay layer does.
class self_releasing final : public jmpco::coroutine_core {
 public:
  explicit self_releasing(bool* freed) : freed_(freed) {}
  jmpco::errc resume() { return resume_core(); }

 private:
  void run() override {
    counted here;
    release();  // the last owner lets go while the coroutine runs
    // A released coroutine is closed, never resumed normally.
    EXPECT_EQ(yield_core(), jmpco::errc::closing);
  }
  void destroy() noexcept override {
    *freed_ = true;
    delete this;
  }
  bool* freed_;
};

TEST(Lifetime, CoroutineReleasedWhileRunningIsClosedAndFreedWhenItYields) {
  counters_reset reset;
  bool freed = false;
  auto* co = new self_releasing(&freed);
  EXPECT_EQ(co->resume(), jmpco::errc::ok);
  EXPECT_TRUE(freed);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 1);
}

TEST(Lifetime, MovedHandlesOwnExactlyOnce) {
  counters_reset reset;
  jmpco::coroutine<sig> a([](yielder& y) { nested_frames_then_yield(y, 2); });
  ASSERT_TRUE(a.resume().ok());
  jmpco::coroutine<sig> b(std::move(a));
  jmpco::coroutine<sig> c;
  c = std::move(b);
  EXPECT_EQ(counted::alive, 3);
  c = jmpco::coroutine<sig>();  // assignment releases the old coroutine
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 3);
}

}  // namespace

namespace {

TEST(Lifetime, YieldWhileBeingClosedFailsAndCloseReportsIt) {
  // Lua: a yield inside a __close run by coroutine.close fails with this message, close returns
  // false with it, and the coroutine is dead.
  bool yieldable_while_closing = true;
  jmpco::errc refused = jmpco::errc::ok;
  jmpco::coroutine<sig> co([&](yielder& y) {
    try {
      y.yield();
    } catch (const jmpco::forced_unwind&) {
      yieldable_while_closing = jmpco::this_coroutine::is_yieldable();
      refused = y.try_yield().code();
      y.yield();  // raises the refusal
    }
  });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> closed = co.close();
  EXPECT_FALSE(yieldable_while_closing);
  EXPECT_EQ(refused, jmpco::errc::yield_while_closing);
  ASSERT_FALSE(closed.ok());
  EXPECT_STREQ(closed.error().what(), "attempt to yield across a C-call boundary");
  EXPECT_EQ(co.status(), jmpco::status::dead);
}

}  // namespace

namespace {

TEST(Lifetime, HandleMovedAwayByItsOwnCoroutineWhileResumed) {
  // Found by the scenario fuzzer: resume() must not touch its handle after the switch.
  jmpco::coroutine<int(int)> keeper;
  jmpco::coroutine<int(int)>* handle = nullptr;
  jmpco::coroutine<int(int)> co([&](jmpco::yielder<int(int)>& y, int v) {
    keeper = std::move(*handle);  // the handle being resumed gives its coroutine away
    return y.yield(v + 1);
  });
  handle = &co;
  EXPECT_EQ(co.resume(1).value(), 2);
  EXPECT_FALSE(co);
  EXPECT_EQ(keeper.resume(5).value(), 5);
}

TEST(Lifetime, HandleDestroyedByItsOwnCoroutineWhileResumed) {
  counters_reset reset;
  auto* heap_handle = new jmpco::coroutine<int(int)>();
  *heap_handle = jmpco::coroutine<int(int)>([&](jmpco::yielder<int(int)>& y, int v) {
    counted here;
    delete heap_handle;  // the last owner lets go while the coroutine runs
    return y.yield(v + 1);
  });
  jmpco::coroutine<int(int)>* resumed = heap_handle;
  // resume() reads nothing of the deleted handle after the switch; the yielded value still comes
  // back, then the released coroutine is closed and freed.
  EXPECT_EQ(resumed->resume(1).value(), 2);
  EXPECT_EQ(counted::alive, 0);
}

}  // namespace
