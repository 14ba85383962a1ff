// SPDX-License-Identifier: MIT
// The public API used the way a careless or hostile user would: bodies that free their own
// handles, destructors that yield or free handles while a close runs, values whose moves throw,
// an allocator that fails at each allocation in turn, foreign stacks, thread exit. Each case ends
// in a correct result or a clear error, with every destructor run exactly once and nothing leaked.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

#if defined(_WIN32)
#include <windows.h>
#elif JMPCO_TEST_HAS_SIGNALS
#include <sys/mman.h>
#endif

namespace {

using jmpco_test::counted;
using jmpco_test::on_fresh_thread;

struct counters_reset : jmpco_test::counters_reset {
  ~counters_reset() { jmpco::coroutine_core::set_nesting_limit(200); }
};

// An allocator that counts live blocks and fails the n-th allocation from when it is armed, and
// every one after it while `keep_failing` holds.
struct failing_allocator {
  static inline long live = 0;
  static inline long countdown = -1;  // allocations left before failing; -1: never fail
  static inline bool keep_failing = false;
  static void* allocate(std::size_t size, void*) {
    if (countdown == 0) {
      if (!keep_failing) countdown = -1;
      return nullptr;
    }
    if (countdown > 0) --countdown;
    ++live;
    return std::malloc(size);
  }
  static void deallocate(void* block, std::size_t, void*) {
    --live;
    std::free(block);
  }
};

struct install_failing_allocator {
  install_failing_allocator() {
    failing_allocator::live = 0;
    failing_allocator::countdown = -1;
    failing_allocator::keep_failing = false;
    jmpco::set_allocator({&failing_allocator::allocate, &failing_allocator::deallocate, nullptr});
  }
  ~install_failing_allocator() { jmpco::set_allocator({}); }
};

template <class F>
JMPCO_NOINLINE void from_deeper_frames(int depth, F&& fn) {
  volatile char pad[1024];
  pad[0] = 0;
  if (depth == 0)
    fn();
  else
    from_deeper_frames(depth - 1, fn);
  pad[1] = pad[0];
}

// --- Handles freed by their own body ---------------------------------------------------------

TEST(Hostile, GeneratorBodyDeletingItsOwnGeneratorEndsTheStepCleanly) {
  counters_reset reset;
  jmpco::generator<int>* g = nullptr;
  g = new jmpco::generator<int>([&g](jmpco::yielder<int()>& y) {
    counted on_stack;
    y.yield(1);
    delete g;  // the handle this very step runs through
    g = nullptr;
    y.yield(2);  // nobody takes it: the coroutine is closed here
    ADD_FAILURE() << "a coroutine whose generator is gone is closed, never resumed";
  });
  auto it = g->begin();
  EXPECT_EQ(*it, 1);
  ++it;  // must not touch the deleted generator
  EXPECT_EQ(g, nullptr);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 1);
}

TEST(Hostile, GeneratorBodyMovingItsOwnGeneratorKeepsTheSequenceInTheNewOne) {
  counters_reset reset;
  std::unique_ptr<jmpco::generator<int>> g, moved;
  g = std::make_unique<jmpco::generator<int>>([&](jmpco::yielder<int()>& y) {
    counted on_stack;
    y.yield(1);
    moved = std::make_unique<jmpco::generator<int>>(std::move(*g));
    g.reset();  // the old handle is gone too
    y.yield(2);
    y.yield(3);
  });
  auto it = g->begin();
  EXPECT_EQ(*it, 1);
  ++it;  // runs the move: the value lands in the coroutine object, now owned by `moved`
  ASSERT_TRUE(moved);
  EXPECT_EQ(g, nullptr);
  auto next = moved->begin();  // already started: begin() does not step again
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(*next, 2);
  ++next;
  EXPECT_EQ(*next, 3);
  ++next;
  EXPECT_EQ(next, nullptr);
  EXPECT_EQ(counted::destroyed, 1);
}

TEST(Hostile, GeneratorBodyDeletingItsGeneratorThenDyingStillReportsTheError) {
  jmpco::generator<int>* g = nullptr;
  g = new jmpco::generator<int>([&g](jmpco::yielder<int()>& y) {
    y.yield(1);
    delete g;
    throw std::runtime_error("after the delete");
  });
  auto it = g->begin();
  try {
    ++it;
    ADD_FAILURE() << "the error must reach the increment";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "after the delete");
  }
}

// --- Close while destructors free handles ----------------------------------------------------

struct deletes_on_destruction {
  jmpco::coroutine<void()>** handle;
  ~deletes_on_destruction() {
    delete *handle;  // the handle being closed
    *handle = nullptr;
  }
};

TEST(Hostile, CloseWhoseUnwindDeletesTheHandleBeingClosedReturnsNormally) {
  counters_reset reset;
  auto* co = new jmpco::coroutine<void()>();
  jmpco::coroutine<void()>* handle = nullptr;
  *co = jmpco::coroutine<void()>([&handle](jmpco::yielder<void()>& y) {
    counted on_stack;
    deletes_on_destruction deleter{&handle};
    y.yield();
  });
  handle = co;
  ASSERT_TRUE(co->resume().ok());
  // close() runs on a handle that its unwind deletes: it may not read the coroutine afterwards.
  jmpco::result<void> r = co->close();
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(handle, nullptr);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 1);
}

// --- Finishing never needs memory ------------------------------------------------------------

TEST(Hostile, CoroutineFinishingWhileTheAllocatorFailsLeavesCleanly) {
  install_failing_allocator installed;
  on_fresh_thread([] {
    counters_reset reset;
    int depth = 0;
    // W starts and yields shallow, then yields again from frames deeper than before.
    jmpco::coroutine<void()> w([&depth](jmpco::yielder<void()>& y) {
      counted on_stack;
      y.yield();
      from_deeper_frames(depth, [&y] { y.yield(); });
      y.yield();
    });
    ASSERT_TRUE(w.resume().ok());
    from_deeper_frames(40, [&] {  // main ~40 KiB deeper
      jmpco::coroutine<void()> c([&](jmpco::yielder<void()>&) {
        depth = 4;
        jmpco::result<void> r = w.resume();  // W runs in its old place and yields from deeper
        EXPECT_TRUE(r.ok() || r.code() == jmpco::errc::out_of_memory);
        failing_allocator::countdown = 0;  // from now on every allocation fails
        failing_allocator::keep_failing = true;
      });  // ...and C returns: leaving it must not need memory
      EXPECT_TRUE(c.resume().ok());
      EXPECT_EQ(c.status(), jmpco::status::dead);
      failing_allocator::countdown = -1;
      failing_allocator::keep_failing = false;
    });
    EXPECT_EQ(w.status(), jmpco::status::suspended);
    EXPECT_TRUE(w.close().ok());
    EXPECT_EQ(counted::alive, 0);
  });
  EXPECT_EQ(failing_allocator::live, 0);
}

// A fixed scenario of nested coroutines started at different depths, run once with the allocator
// failing at the n-th allocation, for every n it makes: each step either works or fails with
// `not enough memory` and changes nothing; every object is destroyed once; nothing leaks.
TEST(Hostile, AllocatorFailingAtEachAllocationInTurnBreaksNothing) {
  install_failing_allocator installed;
  for (long fail_at = 0; fail_at < 60; ++fail_at) {
    SCOPED_TRACE(fail_at);
    on_fresh_thread([fail_at] {
      counters_reset reset;
      failing_allocator::countdown = fail_at;
      int yields = 0;
      {
        jmpco::coroutine<int(int)> inner([&](jmpco::yielder<int(int)>& y, int v) {
          counted on_stack;
          for (;;) {
            jmpco::result<int> r = y.try_yield(v + 1);
            if (!r) {
              if (r.code() == jmpco::errc::closing) return v;
              EXPECT_EQ(r.code(), jmpco::errc::out_of_memory);
              continue;  // still running, intact: try again
            }
            ++yields;
            v = *r;
          }
        });
        jmpco::generator<int> outer([&](jmpco::yielder<int()>& y) {
          counted on_stack;
          for (int i = 0; i < 4; ++i) {
            from_deeper_frames(i, [&] {
              jmpco::result<int> r = inner.resume(i);
              if (r) y.yield(*r);
            });
          }
        });
        auto refused_for_memory = [](jmpco::errc e) {
          // out of memory now, or when the coroutine object itself could not be made
          return e == jmpco::errc::out_of_memory || e == jmpco::errc::empty_handle;
        };
        try {
          for (int v : outer) EXPECT_GE(v, 1);
        } catch (const jmpco::coroutine_error& e) {
          // Refused to the iteration itself, or raised by a yield in the body, which died of it.
          const jmpco::error& why = e.error();
          EXPECT_TRUE(refused_for_memory(why.code()) ||
                      (why.code() == jmpco::errc::raised &&
                       refused_for_memory(static_cast<jmpco::errc>(why.user_code()))))
              << e.what();
        }
        from_deeper_frames(3, [&] {
          jmpco::result<int> r = inner.resume(7);
          if (!r) {
            EXPECT_TRUE(refused_for_memory(r.code())) << r.error().what();
          }
        });
      }  // both handles destroyed here: every unwind runs, now or deferred
      EXPECT_EQ(jmpco::coroutine_core::run_deferred_closes(), 0u);
      EXPECT_EQ(counted::alive, 0);
      failing_allocator::countdown = -1;
    });
    EXPECT_EQ(failing_allocator::live, 0);
  }
}

// --- Throwing value moves --------------------------------------------------------------------

// Once armed, its copies and moves throw on the thread's main context (the resumer's side of
// the mailboxes), never inside the coroutine.
struct throws_on_move {
  static inline bool armed = false;
  int v = 0;
  explicit throws_on_move(int value) : v(value) {}
  throws_on_move(const throws_on_move& o) : v(o.v) { maybe_throw(); }
  throws_on_move(throws_on_move&& o) : v(o.v) { maybe_throw(); }
  throws_on_move& operator=(const throws_on_move&) = default;
  static void maybe_throw() {
    if (armed && jmpco::this_coroutine::running() == nullptr)
      throw std::runtime_error("move failed");
  }
};

TEST(Hostile, ThrowingOutValueMoveStillLetsTheHandleCloseAndFreeTheCoroutine) {
  install_failing_allocator installed;
  on_fresh_thread([] {
    counters_reset reset;
    {
      jmpco::coroutine<throws_on_move()> co(
          [](jmpco::yielder<throws_on_move()>& y) -> throws_on_move {
            counted on_stack;
            for (int i = 0;; ++i) y.yield(throws_on_move(i));
          });
      ASSERT_EQ(co.resume().value().v, 0);
      throws_on_move::armed = true;
      EXPECT_THROW((void)co.resume(), std::runtime_error);  // 1 is lost, nothing else
      throws_on_move::armed = false;
      EXPECT_EQ(co.status(), jmpco::status::suspended);
    }  // the handle's destructor closes it at once
    EXPECT_EQ(counted::alive, 0);
    EXPECT_EQ(counted::destroyed, 1);
  });
  EXPECT_EQ(failing_allocator::live, 0);
}

TEST(Hostile, ThrowingInValueMoveLeavesTheCoroutineSuspendedAndClosable) {
  install_failing_allocator installed;
  on_fresh_thread([] {
    counters_reset reset;
    {
      jmpco::coroutine<int(throws_on_move)> co(
          [](jmpco::yielder<int(throws_on_move)>& y, throws_on_move in) -> int {
            counted on_stack;
            for (;;) in = y.yield(in.v);
          });
      ASSERT_EQ(co.resume(throws_on_move(5)).value(), 5);
      throws_on_move::armed = true;
      EXPECT_THROW((void)co.resume(throws_on_move(6)), std::runtime_error);  // moving it in
      throws_on_move::armed = false;
      EXPECT_EQ(co.status(), jmpco::status::suspended);
    }
    EXPECT_EQ(counted::alive, 0);
  });
  EXPECT_EQ(failing_allocator::live, 0);
}

TEST(Hostile, CoroutineGoesOnAfterAThrowingValueMove) {
  jmpco::coroutine<throws_on_move(throws_on_move)> co(
      [](jmpco::yielder<throws_on_move(throws_on_move)>& y, throws_on_move in) -> throws_on_move {
        for (;;) in = y.yield(throws_on_move(in.v + 1));
      });
  ASSERT_EQ(co.resume(throws_on_move(1)).value().v, 2);
  throws_on_move::armed = true;
  EXPECT_THROW((void)co.resume(throws_on_move(10)), std::runtime_error);  // not delivered
  throws_on_move::armed = false;
  EXPECT_EQ(co.resume(throws_on_move(3)).value().v, 4);
}

// --- Releases that cannot unwind at once -----------------------------------------------------

TEST(Hostile, ChainOfHandlesDestroyedAtALowNestingLimitRunsEveryDestructor) {
  counters_reset reset;
  using co_t = jmpco::coroutine<void()>;
  // A holds B holds C holds D, each suspended inside the one that holds it.
  auto make = [](std::unique_ptr<co_t> inner) {
    return std::make_unique<co_t>(
        [inner = std::shared_ptr<co_t>(std::move(inner))](jmpco::yielder<void()>& y) mutable {
          counted on_stack;
          std::shared_ptr<co_t> mine =
              std::move(inner);  // on this coroutine's stack: its unwind ends it
          if (mine) {
            EXPECT_TRUE(mine->resume().ok());
          }
          y.yield();
        });
  };
  std::unique_ptr<co_t> a = make(make(make(make(nullptr))));
  ASSERT_TRUE(a->resume().ok());
  EXPECT_EQ(counted::alive, 4);
  jmpco::coroutine_core::set_nesting_limit(2);
  a.reset();  // the unwinds nest four deep: the limit guards ordinary nesting, not this
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 4);
}

TEST(Hostile, ReleaseWithoutMemoryToUnwindDefersTheUnwindAndLosesNoDestructor) {
  install_failing_allocator installed;
  on_fresh_thread([] {
    counters_reset reset;
    auto co = std::make_unique<jmpco::coroutine<void()>>([](jmpco::yielder<void()>& y) {
      counted on_stack;
      y.yield();
    });
    ASSERT_TRUE(co->resume().ok());
    from_deeper_frames(8, [&] {  // the release's frames collide with the coroutine's slice
      failing_allocator::countdown = 0;
      failing_allocator::keep_failing = true;
      co.reset();
      failing_allocator::keep_failing = false;
      failing_allocator::countdown = -1;
    });
    EXPECT_EQ(jmpco::coroutine_core::deferred_closes(), 1u);
    EXPECT_EQ(counted::alive, 1);  // waiting, not skipped
    EXPECT_EQ(jmpco::coroutine_core::run_deferred_closes(), 0u);
    EXPECT_EQ(counted::alive, 0);
    EXPECT_EQ(counted::destroyed, 1);
  });
  EXPECT_EQ(failing_allocator::live, 0);
}

TEST(Hostile, DeferredUnwindRunsAtThreadExitAtTheLatest) {
  install_failing_allocator installed;
  counters_reset reset;
  on_fresh_thread([] {
    auto co = std::make_unique<jmpco::coroutine<void()>>([](jmpco::yielder<void()>& y) {
      counted on_stack;
      y.yield();
    });
    ASSERT_TRUE(co->resume().ok());
    from_deeper_frames(8, [&] {
      failing_allocator::countdown = 0;
      failing_allocator::keep_failing = true;
      co.reset();
      failing_allocator::keep_failing = false;
      failing_allocator::countdown = -1;
    });
    EXPECT_EQ(counted::alive, 1);
  });
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(failing_allocator::live, 0);
}

// --- Yields where throwing would terminate ---------------------------------------------------

struct yields_on_destruction {
  ~yields_on_destruction() {
    jmpco::result<void> r = jmpco::this_coroutine::try_yield<void()>();
    if (!r) {
      EXPECT_EQ(r.code(), jmpco::errc::closing);
    }
  }
};

TEST(Hostile, CloseOfACoroutineSuspendedInADestructorRunsEveryDestructorOnce) {
  counters_reset reset;
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) {
    counted outer;
    {
      counted inner;
      yields_on_destruction yields;
    }  // suspended here, inside a destructor
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(co.status(), jmpco::status::suspended);
  EXPECT_TRUE(co.close().ok());  // not std::terminate
  EXPECT_EQ(co.status(), jmpco::status::dead);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 2);
}

JMPCO_NOINLINE void noexcept_callback() noexcept {
  counted here;
  (void)jmpco::this_coroutine::try_yield<void()>();
}

TEST(Hostile, CloseOfACoroutineSuspendedInANoexceptFunctionDoesNotTerminate) {
  counters_reset reset;
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) {
    counted outer;
    noexcept_callback();
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 2);
}

TEST(Hostile, CloseOfACoroutineSuspendedWhileAnExceptionUnwindsThroughItKeepsThatException) {
  counters_reset reset;
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) {
    counted outer;
    yields_on_destruction yields;  // its destructor yields while the exception below unwinds
    throw std::runtime_error("in flight");
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(co.status(), jmpco::status::suspended);
  jmpco::result<void> r = co.close();
  ASSERT_FALSE(r.ok());  // the unwind went on, and the coroutine died with its exception
  EXPECT_STREQ(r.error().what(), "in flight");
  EXPECT_EQ(counted::alive, 0);
}

TEST(Hostile, YieldSuspendedDuringAnUnwindReturnsInsteadOfThrowingWhenClosed) {
  counters_reset reset;
  struct yields_with_the_yielder {
    jmpco::yielder<int()>& y;
    ~yields_with_the_yielder() {
      y.yield(1);
    }  // closed here: returns, since throwing would terminate
  };
  jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) -> int {
    counted outer;
    yields_with_the_yielder yields{y};
    throw std::runtime_error("in flight");
  });
  ASSERT_EQ(co.resume().value(), 1);
  jmpco::result<void> r = co.close();
  ASSERT_FALSE(r.ok());
  EXPECT_STREQ(r.error().what(), "in flight");
  EXPECT_EQ(counted::alive, 0);
}

// --- A forced unwind kept and rethrown elsewhere ---------------------------------------------

TEST(Hostile, ForcedUnwindRethrownInAnotherCoroutineIsAnErrorThere) {
  std::exception_ptr kept;
  jmpco::coroutine<void()> closed([&kept](jmpco::yielder<void()>& y) {
    try {
      y.yield();
    } catch (...) {
      kept = std::current_exception();
      throw;
    }
  });
  ASSERT_TRUE(closed.resume().ok());
  ASSERT_TRUE(closed.close().ok());
  ASSERT_TRUE(kept);
  jmpco::coroutine<int()> healthy(
      [&kept](jmpco::yielder<int()>&) -> int { std::rethrow_exception(kept); });
  jmpco::result<int> r = healthy.resume();
  ASSERT_FALSE(r.ok());  // never "ok" with no value
  EXPECT_EQ(r.code(), jmpco::errc::exception);
  EXPECT_EQ(healthy.status(), jmpco::status::dead);
}

TEST(Hostile, ForcedUnwindOfAFreedCoroutineRethrownInOneAtItsAddressIsAnErrorThere) {
  std::exception_ptr kept;
  const void* freed_at = nullptr;
  {
    jmpco::coroutine<int()> closed([&kept](jmpco::yielder<int()>& y) -> int {
      try {
        y.yield(1);
      } catch (...) {
        kept = std::current_exception();
        throw;
      }
      return 0;
    });
    ASSERT_EQ(closed.resume().value(), 1);
    freed_at = closed.core();
  }  // closed and freed: the same allocation may come back for the next coroutine
  ASSERT_TRUE(kept);
  jmpco::coroutine<int()> healthy(
      [&kept](jmpco::yielder<int()>&) -> int { std::rethrow_exception(kept); });
  SCOPED_TRACE(healthy.core() == freed_at ? "at the freed coroutine's address" : "elsewhere");
  jmpco::result<int> r = healthy.resume();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), jmpco::errc::exception);
}

// --- Foreign stacks --------------------------------------------------------------------------

#if JMPCO_TEST_HAS_SIGNALS || defined(_WIN32)
jmpco::coroutine<int()>* foreign_stack_target = nullptr;
jmpco::errc foreign_stack_outcome = jmpco::errc::ok;
#endif

#if defined(_WIN32)
// Windows has no signal handlers on alternate stacks; its foreign stacks are fibers, each on a
// stack of its own that the thread switches to.
void WINAPI resume_from_fiber(void* thread_fiber) {
  foreign_stack_outcome = foreign_stack_target->resume().code();
  SwitchToFiber(thread_fiber);
}

TEST(Hostile, ResumeFromAFiberIsRefused) {
  on_fresh_thread([] {
    jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) -> int {
      for (int i = 0;; ++i) y.yield(i);
    });
    ASSERT_EQ(co.resume().value(), 0);  // started on the thread's own stack
    foreign_stack_target = &co;
    foreign_stack_outcome = jmpco::errc::ok;
    void* thread_fiber = ConvertThreadToFiber(nullptr);
    ASSERT_NE(thread_fiber, nullptr);
    void* fiber = CreateFiber(256 * 1024, &resume_from_fiber, thread_fiber);
    ASSERT_NE(fiber, nullptr);
    SwitchToFiber(fiber);
    DeleteFiber(fiber);
    ConvertFiberToThread();
    EXPECT_EQ(foreign_stack_outcome, jmpco::errc::foreign_stack);
    EXPECT_EQ(co.resume().value(), 1);  // nothing changed
  });
}
#elif JMPCO_TEST_HAS_SIGNALS

void resume_from_signal(int) { foreign_stack_outcome = foreign_stack_target->resume().code(); }

void resume_on_alternate_stack(void* stack, std::size_t size) {
  stack_t alt{};
  alt.ss_sp = stack;
  alt.ss_size = size;
  stack_t old{};
  ASSERT_EQ(sigaltstack(&alt, &old), 0);
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = &resume_from_signal;
  action.sa_flags = SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(sigaction(SIGUSR1, &action, &previous), 0);
  foreign_stack_outcome = jmpco::errc::ok;
  std::raise(SIGUSR1);
  sigaction(SIGUSR1, &previous, nullptr);
  old.ss_flags = SS_DISABLE;
  sigaltstack(&old, nullptr);
}
#endif

#if !defined(_WIN32)
TEST(Hostile, ResumeFromASignalHandlerOnAnAlternateStackIsRefused) {
  JMPCO_TEST_NEEDS_SIGNALS();
#if JMPCO_TEST_HAS_SIGNALS
  on_fresh_thread([] {
    jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) -> int {
      for (int i = 0;; ++i) y.yield(i);
    });
    ASSERT_EQ(co.resume().value(), 0);  // started on the thread's own stack
    foreign_stack_target = &co;
    constexpr std::size_t size = 256 * 1024;
    void* mapped = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mapped, MAP_FAILED);
    resume_on_alternate_stack(mapped, size);
    EXPECT_EQ(foreign_stack_outcome, jmpco::errc::foreign_stack);
    munmap(mapped, size);
    static char static_stack[128 * 1024];  // far below every thread stack
    resume_on_alternate_stack(static_stack, sizeof static_stack);
    EXPECT_EQ(foreign_stack_outcome, jmpco::errc::foreign_stack);
    EXPECT_EQ(co.resume().value(), 1);  // nothing changed
  });
#endif
}
#endif

// --- Thread exit -----------------------------------------------------------------------------

// The coroutine a thread_local_holder lets go. Not the holder's member: MinGW's emulated
// thread_local storage is freed (a winpthreads key destructor) before the thread_local
// destructors run (a TLS callback), so there a destructor must not read its own object.
std::unique_ptr<jmpco::coroutine<void()>> held_by_thread_local;

// Lets the coroutine go from frames deep enough to collide with the coroutine's slice, so that
// the unwind must save them (and allocate) after the thread's exit has begun.
struct thread_local_holder {
  ~thread_local_holder() {
    from_deeper_frames(8, [] { held_by_thread_local.reset(); });
  }
};

TEST(Hostile, ThreadLocalHandleDestroyedAfterTheThreadStateClosesItsCoroutine) {
  JMPCO_TEST_NEEDS_THREADS();
#if JMPCO_THREADS
  install_failing_allocator installed;
  counters_reset reset;
  std::thread([] {
    // Constructed before the library's own thread state, so destroyed after it.
    static thread_local thread_local_holder holder;
    (void)holder;
    held_by_thread_local =
        std::make_unique<jmpco::coroutine<void()>>([](jmpco::yielder<void()>& y) {
          counted on_stack;
          y.yield();
        });
    ASSERT_TRUE(held_by_thread_local->resume().ok());
  }).join();
  EXPECT_EQ(held_by_thread_local, nullptr);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(counted::destroyed, 1);
  EXPECT_EQ(failing_allocator::live, 0);
#endif
}

}  // namespace

namespace {

// --- Found by the independent adversarial programs -------------------------------------------

struct throws_on_copy {
  throws_on_copy() = default;
  throws_on_copy(const throws_on_copy&) { throw std::runtime_error("body copy failed"); }
  void operator()(jmpco::yielder<void()>&) const {}
};

TEST(Hostile, BodyWhoseCopyThrowsLeavesNoCoroutineObjectBehind) {
  install_failing_allocator installed;
  const throws_on_copy body;
  EXPECT_THROW(jmpco::coroutine<void()>{body}, std::runtime_error);
  EXPECT_EQ(failing_allocator::live, 0);
}

TEST(Hostile, GeneratorStepRefusedToAnotherThreadKeepsTheCurrentValue) {
  JMPCO_TEST_NEEDS_THREADS();
#if JMPCO_THREADS
  jmpco::generator<int> numbers([](jmpco::yielder<int()>& y) {
    for (int i = 0; i < 3; ++i) y.yield(i);
  });
  auto it = numbers.begin();
  ASSERT_EQ(*it, 0);
  std::thread([&it] {
    try {
      ++it;
      ADD_FAILURE() << "another thread may not step the generator";
    } catch (const jmpco::coroutine_error& e) {
      EXPECT_EQ(e.error().code(), jmpco::errc::wrong_thread);
    }
  }).join();
  ASSERT_NE(it, nullptr);                                        // the refused step changed nothing
  EXPECT_EQ(numbers.error().code(), jmpco::errc::wrong_thread);  // but is on record
  int sum = 0;
  for (; it != nullptr; ++it) sum += *it;
  EXPECT_EQ(sum, 0 + 1 + 2);
#endif
}

TEST(Hostile, CoroutineOfAnExitedThreadIsNotOwnedByTheNextThread) {
  JMPCO_TEST_NEEDS_THREADS();
#if JMPCO_THREADS
  auto* orphan = new jmpco::coroutine<int()>([](jmpco::yielder<int()>& y) -> int {
    for (;;) y.yield(1);
  });
  std::thread([orphan] { ASSERT_EQ(orphan->resume().value(), 1); }).join();
  // A new thread may get the exited thread's thread-local storage at the same address.
  for (int i = 0; i < 4; ++i) {
    std::thread([orphan] { EXPECT_EQ(orphan->resume().code(), jmpco::errc::wrong_thread); }).join();
  }
  EXPECT_EQ(orphan->resume().code(), jmpco::errc::wrong_thread);
  // Its stack died with its thread: it can be neither closed nor destroyed (a fatal error), so the
  // test keeps it, reachable, for good.
  static jmpco::coroutine<int()>* kept_for_good = orphan;
  static_cast<void>(kept_for_good);
#endif
}

}  // namespace
