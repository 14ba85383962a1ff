// SPDX-License-Identifier: MIT
// The scheduler's run loop against hostile callers: run() from its own tasks, from too deep a
// nesting, from another thread; a scheduler destroyed by what it calls or on another thread.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

using jmpco::errc;
using jmpco::scheduler;
using jmpco::task;

// A local whose destructions are counted.
struct counts_destructions {
  int& count;
  ~counts_destructions() { ++count; }
};

// A task that yields once between two steps, returning 42; started and suspended after the first
// run_once(), so its coroutine belongs to the calling thread.
task<int> started_task(scheduler& s, int& steps, int& unwound) {
  auto t = s.spawn([&] {
    counts_destructions local{unwound};
    ++steps;
    (void)jmpco::this_task::yield();
    ++steps;
    return 42;
  });
  EXPECT_EQ(s.run_once(), 1u);
  return t;
}

// The task made by started_task is intact: joined on its own thread, it finishes once.
void expect_intact(task<int>& t, const int& steps, const int& unwound) {
  EXPECT_EQ(steps, 1);
  EXPECT_EQ(unwound, 0);
  auto r = t.join();
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(steps, 2);
  EXPECT_EQ(unwound, 1);
}

// ---- another thread ----------------------------------------------------------------------------

TEST(SchedulerThreads, JoinKillWaitAnyAndRunFromAnotherThreadAreRefusedAndChangeNothing) {
  scheduler s;
  int steps = 0;
  int unwound = 0;
  task<int> t = started_task(s, steps, unwound);
  std::thread([&] {
    EXPECT_EQ(t.join().code(), errc::wrong_thread);
    EXPECT_EQ(t.kill().code(), errc::wrong_thread);
    EXPECT_EQ(jmpco::wait_any(t).code(), errc::wrong_thread);
    EXPECT_EQ(s.run().code(), errc::wrong_thread);
    EXPECT_EQ(s.run_once(), 0u);
    EXPECT_EQ(s.run_once(scheduler::clock::duration::zero()), 0u);
  }).join();
  EXPECT_TRUE(t);  // the refused join did not empty the handle
  expect_intact(t, steps, unwound);
}

TEST(SchedulerThreads, ASchedulerWithNoStartedTaskLeftMayMoveToAnotherThread) {
  scheduler s;
  EXPECT_EQ(s.spawn([] { return 1; }).join().value(), 1);
  auto unstarted = s.spawn([] { return 2; });
  std::thread([&] { EXPECT_EQ(unstarted.join().value(), 2); }).join();
  // Now it belongs to that thread's tasks, all finished: back here again.
  EXPECT_EQ(s.spawn([] { return 3; }).join().value(), 3);
}

TEST(SchedulerThreads, AKillOfATaskThatNeverStartedMayComeFromAnotherThread) {
  scheduler s;
  bool ran = false;
  auto t = s.spawn([&] { ran = true; });
  std::thread([&] { EXPECT_TRUE(t.kill().ok()); }).join();
  EXPECT_EQ(t.join().code(), errc::killed);
  EXPECT_FALSE(ran);
}

TEST(SchedulerThreads, DestroyingASchedulerWithOnlyUnstartedTasksOnAnotherThreadIsFine) {
  auto s = std::make_unique<scheduler>();
  int unwound = 0;
  s->spawn([&] { counts_destructions local{unwound}; }).detach();
  std::thread([&] { s.reset(); }).join();
  EXPECT_EQ(unwound, 0);  // killed before it started: its body never ran
}

TEST(SchedulerThreadsDeathTest, DestroyingASchedulerOnAnotherThreadThanItsStartedTasksIsFatal) {
  EXPECT_DEATH(
      {
        auto s = std::make_unique<scheduler>();
        jmpco::channel<int> never(0);
        s->spawn([&] { (void)never.recv(); }).detach();
        std::thread([&] { (void)s->run(); }).join();  // parked, on that thread
        s.reset();
      },
      "a scheduler was destroyed on another thread than its started tasks'");
}

// ---- too deep to resume a task -----------------------------------------------------------------

// Calls `body` from inside coroutines nested to the nesting limit of 2.
template <class F>
void at_the_nesting_limit(F body) {
  const unsigned limit = jmpco::coroutine_core::nesting_limit();
  jmpco::coroutine_core::set_nesting_limit(2);
  jmpco::coroutine<void()> outer([&](jmpco::yielder<void()>&) {
    jmpco::coroutine<void()> inner([&](jmpco::yielder<void()>&) { body(); });
    EXPECT_TRUE(inner.resume().ok());
  });
  EXPECT_TRUE(outer.resume().ok());
  jmpco::coroutine_core::set_nesting_limit(limit);
}

TEST(SchedulerNesting, ARunTooDeepToResumeATaskReportsItAndLeavesTheTaskReady) {
  scheduler s;
  int steps = 0;
  int unwound = 0;
  task<int> t = started_task(s, steps, unwound);
  auto unstarted = s.spawn([] { return 7; });
  at_the_nesting_limit([&] {
    EXPECT_EQ(s.run().code(), errc::c_stack_overflow);
    EXPECT_EQ(s.run_once(), 0u);
    EXPECT_EQ(unstarted.join().code(), errc::c_stack_overflow);
    EXPECT_EQ(jmpco::wait_any(unstarted).code(), errc::c_stack_overflow);
  });
  EXPECT_EQ(s.live_tasks(), 2u);
  expect_intact(t, steps, unwound);  // first in line: it runs first
  EXPECT_TRUE(unstarted);
  EXPECT_EQ(unstarted.join().value(), 7);
  EXPECT_EQ(s.unjoined_failures(), 0u);
}

TEST(SchedulerNesting, ARefusedTaskKeepsItsPlaceFirstInLine) {
  scheduler s;
  std::vector<int> order;
  auto a = s.spawn([&] { order.push_back(1); });
  auto b = s.spawn([&] { order.push_back(2); });
  at_the_nesting_limit([&] { EXPECT_EQ(s.run().code(), errc::c_stack_overflow); });
  EXPECT_TRUE(s.run().ok());
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

// ---- run() from inside the scheduler -----------------------------------------------------------

TEST(SchedulerReentry, RunAndRunOnceFromOneOfItsOwnTasksAreRefused) {
  scheduler s;
  int others = 0;
  auto other = s.spawn([&] { ++others; });
  auto t = s.spawn([&] {
    EXPECT_EQ(s.run().code(), errc::scheduler_running);
    EXPECT_EQ(s.run_once(), 0u);
    EXPECT_EQ(s.run_once(scheduler::clock::duration::zero()), 0u);
    EXPECT_EQ(others, 1);  // it ran before this task, not nested in it
  });
  EXPECT_TRUE(s.run().ok());
  EXPECT_TRUE(t.join().ok());
}

TEST(SchedulerReentry, ManyTasksCallingRunOnceDoNotNestAndNoneFails) {
  scheduler s;
  std::vector<task<void>> tasks;
  for (int i = 0; i < 300; ++i) tasks.push_back(s.spawn([&] { (void)s.run_once(); }));
  EXPECT_TRUE(s.run().ok());
  for (auto& t : tasks) EXPECT_TRUE(t.join().ok());
}

TEST(SchedulerReentry, RunFromTheUnjoinedFailureHandlerIsRefused) {
  scheduler s;
  struct run_attempt {
    scheduler* s;
    errc code = errc::ok;
  } attempt{&s};
  s.on_unjoined_failure(
      [](const jmpco::error&, void* user) noexcept {
        auto* what = static_cast<run_attempt*>(user);
        what->code = what->s->run().code();
      },
      &attempt);
  s.spawn([] { throw std::runtime_error("fails, detached"); }).detach();
  EXPECT_TRUE(s.run().ok());
  EXPECT_EQ(attempt.code, errc::scheduler_running);
}

TEST(SchedulerReentry, AJoinFromAGeneratorInsideATaskStillRunsTheScheduler) {
  scheduler s;
  auto sleeper = s.spawn([] {
    (void)jmpco::this_task::yield();
    return 5;
  });
  auto t = s.spawn([&] {
    jmpco::generator<int> g([&](jmpco::yielder<int()>& y) { y.yield(sleeper.join().value()); });
    int sum = 0;
    for (int v : g) sum += v;
    return sum;
  });
  EXPECT_EQ(t.join().value(), 5);
}

// ---- the unjoined-failure handler ----------------------------------------------------------

static_assert(std::is_nothrow_invocable_v<scheduler::failure_handler, const jmpco::error&, void*>,
              "the handler is called where an exception cannot go: its type says so");
static_assert(
    !std::is_convertible_v<void (*)(const jmpco::error&, void*), scheduler::failure_handler>,
    "a handler that may throw does not compile");

// ---- a scheduler destroyed from inside itself ----------------------------------------------

// The scheduler a test's hostile code destroys.
std::unique_ptr<scheduler> doomed;

// Destroys `doomed` when destroyed itself, unless moved from.
struct destroys_doomed {
  bool armed = true;
  destroys_doomed() = default;
  destroys_doomed(destroys_doomed&& other) noexcept : armed(std::exchange(other.armed, false)) {}
  destroys_doomed& operator=(destroys_doomed&&) = delete;
  ~destroys_doomed() {
    if (armed) doomed.reset();
  }
};

TEST(SchedulerLifetimeDeathTest, ATaskDestroyingItsOwnSchedulerIsFatal) {
  EXPECT_DEATH(
      {
        doomed = std::make_unique<scheduler>();
        auto t = doomed->spawn([] { doomed.reset(); });
        (void)t.join();
      },
      "a scheduler was destroyed by one of its own tasks");
}

TEST(SchedulerLifetimeDeathTest, AFinishedTasksCapturesDestroyingTheSchedulerIsFatal) {
  EXPECT_DEATH(
      {
        doomed = std::make_unique<scheduler>();
        doomed->spawn([guard = destroys_doomed()] { (void)guard; }).detach();
        (void)doomed->run();
      },
      "a scheduler was destroyed by code it called");
}

TEST(SchedulerLifetimeDeathTest, AZombieLetGoOfWhoseCapturesDestroyTheSchedulerIsFatal) {
  EXPECT_DEATH(
      {
        doomed = std::make_unique<scheduler>();
        auto t = doomed->spawn([guard = destroys_doomed()] { (void)guard; });
        (void)doomed->run();
        t.detach();  // frees the finished task: its captures go
      },
      "a scheduler was destroyed by code it called");
}

TEST(SchedulerLifetimeDeathTest, TheUnjoinedFailureHandlerDestroyingTheSchedulerIsFatal) {
  EXPECT_DEATH(
      {
        doomed = std::make_unique<scheduler>();
        doomed->on_unjoined_failure([](const jmpco::error&, void*) noexcept { doomed.reset(); },
                                    nullptr);
        doomed->spawn([] { throw std::runtime_error("fails, detached"); }).detach();
        (void)doomed->run();
      },
      "a scheduler was destroyed by code it called");
}

TEST(SchedulerLifetimeDeathTest, AWakeOfASchedulerOnAParkedTasksStackIsFatal) {
  EXPECT_DEATH(
      {
        scheduler outer;
        jmpco::channel<int> shared(0);
        jmpco::channel<int> park(0);
        auto host = outer.spawn([&] {
          scheduler inner;  // on this task's stack: against the rule
          auto listener = inner.spawn([&] { (void)shared.recv(); });
          (void)inner.run_once();  // the listener parks
          (void)park.recv();       // the host parks, `inner` saved with its stack
        });
        auto sender = outer.spawn([&] {
          (void)jmpco::this_task::yield();
          (void)shared.send(5);  // wakes the listener: its scheduler is not there
        });
        (void)outer.run();
      },
      "a task was woken whose scheduler is not there");
}

TEST(SchedulerLifetime, ASchedulerInTheHeapOfAParkedTaskIsWokenSafely) {
  // The documented way to keep a scheduler of a task's own: in the heap, not on its stack.
  scheduler outer;
  jmpco::channel<int> shared(0);
  jmpco::channel<int> park(0);
  int inner_got = -1;
  auto host = outer.spawn([&] {
    auto inner = std::make_unique<scheduler>();
    auto listener = inner->spawn([&] { inner_got = shared.recv().value(); });
    EXPECT_EQ(inner->run_once(), 1u);  // the listener parks
    (void)park.recv();
    EXPECT_TRUE(inner->run().ok());
    EXPECT_TRUE(listener.join().ok());
  });
  auto sender = outer.spawn([&] {
    (void)jmpco::this_task::yield();
    EXPECT_TRUE(shared.send(5).ok());
    EXPECT_TRUE(park.send(1).ok());
  });
  EXPECT_TRUE(outer.run().ok());
  EXPECT_EQ(inner_got, 5);
}

}  // namespace
