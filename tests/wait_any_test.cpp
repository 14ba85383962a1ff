// SPDX-License-Identifier: MIT
// jmpco::wait_any over several tasks (include/jmpco/scheduler.hpp), as users and misusers use it.
// It mirrors OpenResty's ngx.thread.wait(t1, t2, ...): the first of several light threads to
// finish; here it reports which one, and that task's join() hands out the outcome.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

namespace {

using jmpco::channel;
using jmpco::errc;
using jmpco::scheduler;
using jmpco::task;
using jmpco_test::blocks_left_by;
using jmpco_test::destroyed_flag;

// A task that yields `turns` times, then returns `value`.
auto after_turns(int turns, int value) {
  return [turns, value] {
    for (int i = 0; i < turns; ++i) (void)jmpco::this_task::yield();
    return value;
  };
}

TEST(WaitAny, FromTheMainContextRunsTheSchedulerUntilOneFinishes) {
  scheduler s;
  auto slow = s.spawn(after_turns(5, 1));
  auto fast = s.spawn(after_turns(1, 2));
  auto first = jmpco::wait_any(slow, fast);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1u);
  EXPECT_TRUE(fast.done());
  EXPECT_FALSE(slow.done());  // only as far as the first finish
  EXPECT_EQ(fast.join().value(), 2);
  EXPECT_EQ(jmpco::wait_any(slow).value(), 0u);
  EXPECT_EQ(slow.join().value(), 1);
}

TEST(WaitAny, GivesTheLowestPositionWhenSeveralHaveFinished) {
  scheduler s;
  auto text = s.spawn([] { return std::string("done"); });
  auto nothing = s.spawn([] {});
  auto number = s.spawn([] { return 3; });
  ASSERT_TRUE(s.run().ok());
  // Any result types; all three are zombies now: wait_any collects none of them.
  EXPECT_EQ(jmpco::wait_any(number, nothing, text).value(), 0u);
  EXPECT_EQ(jmpco::wait_any(number, nothing, text).value(), 0u);
  EXPECT_EQ(number.join().value(), 3);
  EXPECT_EQ(jmpco::wait_any(number, nothing, text).value(), 1u);  // the empty one is skipped
  EXPECT_TRUE(nothing.join().ok());
  EXPECT_EQ(jmpco::wait_any(number, nothing, text).value(), 2u);
  EXPECT_EQ(text.join().value(), "done");
  EXPECT_EQ(jmpco::wait_any(number, nothing, text).code(), errc::empty_handle);
}

TEST(WaitAny, InsideATaskItBlocksOnlyThatTask) {
  scheduler s;
  channel<int> a(0);
  channel<int> b(0);
  auto from_a = s.spawn([&] { return a.recv().value(); });
  auto from_b = s.spawn([&] { return b.recv().value(); });
  std::vector<std::string> log;
  auto waiter = s.spawn([&] {
    log.push_back("wait");
    const std::size_t first = jmpco::wait_any(from_a, from_b).value();
    log.push_back("woke " + std::to_string(first));
    return first == 1 ? from_b.join().value() : -1;
  });
  auto sender = s.spawn([&] {
    (void)jmpco::this_task::yield();
    log.push_back("send");
    (void)b.send(20);
    (void)jmpco::this_task::yield();  // from_b finishes meanwhile and wakes the waiter
    (void)a.send(10);
    log.push_back("sent");
  });
  EXPECT_EQ(waiter.join().value(), 20);
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"wait", "send", "sent", "woke 1"}));
  EXPECT_EQ(from_a.join().value(), 10);  // the other one's outcome is untouched
}

TEST(WaitAny, FailedAndKilledTasksCountAsFinished) {
  scheduler s;
  channel<int> never(0);
  auto thrower = s.spawn([&]() -> int {
    (void)jmpco::this_task::yield();
    throw std::runtime_error("broken");
  });
  auto blocked = s.spawn([&] { return never.recv().value(); });
  EXPECT_EQ(jmpco::wait_any(blocked, thrower).value(), 1u);
  EXPECT_EQ(thrower.join().code(), errc::exception);

  std::size_t seen = 99;
  auto waiter = s.spawn([&] { seen = jmpco::wait_any(blocked).value(); });
  auto killer = s.spawn([&] { EXPECT_TRUE(blocked.kill().ok()); });
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(seen, 0u);
  EXPECT_EQ(blocked.join().code(), errc::killed);
  EXPECT_EQ(s.unjoined_failures(), 0u);
}

TEST(WaitAny, OverARangeOfHandles) {
  scheduler s;
  std::vector<task<int>> workers;
  for (int i = 0; i < 5; ++i) workers.push_back(s.spawn(after_turns(10 - i, i)));
  workers[4] = task<int>();  // an empty one among them
  std::vector<int> order;
  for (;;) {
    auto next = jmpco::wait_any(workers);
    if (!next) {
      EXPECT_EQ(next.code(), errc::empty_handle);
      break;
    }
    order.push_back(workers[*next].join().value());
  }
  EXPECT_EQ(order, (std::vector<int>{3, 2, 1, 0}));

  std::array<task<int>, 2> pair{s.spawn(after_turns(2, 7)), s.spawn(after_turns(1, 8))};
  EXPECT_EQ(jmpco::wait_any(pair).value(), 1u);
  task<void> plain[1] = {s.spawn([] {})};
  EXPECT_EQ(jmpco::wait_any(plain).value(), 0u);
  std::vector<task<int>> none;
  EXPECT_EQ(jmpco::wait_any(none).code(), errc::empty_handle);
  ASSERT_TRUE(s.run().ok());
}

TEST(WaitAny, MisuseIsAnError) {
  scheduler s;
  task<int> empty;
  EXPECT_EQ(jmpco::wait_any(empty).code(), errc::empty_handle);
  task<void> moved_from = s.spawn([] {});
  task<void> moved_to = std::move(moved_from);
  EXPECT_EQ(jmpco::wait_any(empty, moved_from).code(), errc::empty_handle);

  // A task among the ones it waits for: join_self, even when another has finished.
  auto done = s.spawn([] { return 1; });
  task<int> self;
  errc self_wait = errc::ok;
  self = s.spawn([&] {
    self_wait = jmpco::wait_any(done, self).code();
    return 0;
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(self_wait, errc::join_self);

  // Tasks of two schedulers.
  scheduler other;
  auto here = s.spawn(after_turns(1, 1));
  auto there = other.spawn(after_turns(1, 2));
  auto mixed = jmpco::wait_any(here, there);
  EXPECT_EQ(mixed.code(), errc::mixed_schedulers);
  EXPECT_STREQ(mixed.error().what(), "cannot wait for tasks of different schedulers");
  EXPECT_FALSE(here.done());  // nothing ran
  EXPECT_EQ(here.join().value(), 1);
  EXPECT_EQ(there.join().value(), 2);
}

TEST(WaitAny, TasksThatCanNeverFinishAreADeadlock) {
  scheduler s;
  channel<int> never(0);
  auto a = s.spawn([&] { (void)never.recv(); });
  auto b = s.spawn([&] { (void)never.recv(); });
  EXPECT_EQ(jmpco::wait_any(a, b).code(), errc::deadlock);
  // The same inside a task: it stays parked and the scheduler reports the deadlock.
  bool returned = false;
  auto waiter = s.spawn([&] {
    (void)jmpco::wait_any(a, b);
    returned = true;
  });
  EXPECT_EQ(s.run().code(), errc::deadlock);
  EXPECT_FALSE(returned);
}

TEST(WaitAny, ATaskOfAnotherSchedulerRunsTheTargetsScheduler) {
  scheduler outer;
  scheduler inner;
  auto target = inner.spawn(after_turns(3, 9));
  auto waiter = outer.spawn([&] { return jmpco::wait_any(target).value(); });
  EXPECT_EQ(waiter.join().value(), 0u);
  EXPECT_EQ(target.join().value(), 9);
}

TEST(WaitAny, KilledWhileItWaitsReturnsClosingAndLeavesNothing) {
  EXPECT_EQ(blocks_left_by([] {
              scheduler s;
              channel<int> go(0);
              auto a = s.spawn([&] { return go.recv().value(); });
              auto b = s.spawn([&] { return go.recv().value(); });
              errc seen = errc::ok;
              bool destroyed = false;
              auto waiter = s.spawn([&] {
                destroyed_flag f{&destroyed};
                seen = jmpco::wait_any(a, b, a).code();
              });
              EXPECT_EQ(s.run_once(), 3u);  // all three wait
              EXPECT_TRUE(waiter.kill().ok());
              EXPECT_EQ(seen, errc::closing);
              EXPECT_TRUE(destroyed);
              // The targets finish afterwards: nothing of the wait is left to wake.
              ASSERT_TRUE(go.try_send(1).ok());
              ASSERT_TRUE(go.try_send(2).ok());
              ASSERT_TRUE(s.run().ok());
              EXPECT_EQ(a.join().value() + b.join().value(), 3);
              EXPECT_EQ(waiter.join().code(), errc::killed);
            }),
            0);
}

TEST(WaitAny, KilledAfterATargetWokeItBeforeItRan) {
  EXPECT_EQ(blocks_left_by([] {
              scheduler s;
              task<void> target;
              errc seen = errc::ok;
              auto waiter = s.spawn([&] { seen = jmpco::wait_any(target).code(); });
              target = s.spawn([] {});
              // Runs after the target finished and woke the waiter, before the waiter runs.
              auto killer = s.spawn([&] { EXPECT_TRUE(waiter.kill().ok()); });
              EXPECT_EQ(s.run_once(), 3u);
              EXPECT_EQ(seen, errc::closing);
              EXPECT_EQ(waiter.join().code(), errc::killed);
              EXPECT_TRUE(target.join().ok());
              ASSERT_TRUE(s.run().ok());
            }),
            0);
}

TEST(WaitAny, ASchedulerDestroyedWhileTasksWaitFreesEveryWait) {
  bool destroyed = false;
  EXPECT_EQ(blocks_left_by([&] {
              auto s = std::make_unique<scheduler>();
              channel<int> never(0);
              task<void> a;
              task<void> b;
              std::vector<errc> seen;
              // Spawned before its targets: killed after them (once they woke it).
              auto w0 = s->spawn([&] {
                (void)jmpco::this_task::yield();
                seen.push_back(jmpco::wait_any(a, b).code());
              });
              a = s->spawn([&] { (void)never.recv(); });
              b = s->spawn([&] { (void)never.recv(); });
              auto w1 = s->spawn([&] {
                destroyed_flag f{&destroyed};
                seen.push_back(jmpco::wait_any(a, b).code());
              });
              auto w2 = s->spawn([&] { seen.push_back(jmpco::wait_any(b).code()); });
              EXPECT_EQ(s->run().code(), errc::deadlock);
              s.reset();  // kills the targets and the waiters, in whatever order
              EXPECT_EQ(seen, std::vector<errc>(3, errc::closing));
              EXPECT_EQ(w1.join().code(), errc::killed);
              EXPECT_EQ(jmpco::wait_any(a, b).value(), 0u);  // finished: killed
            }),
            0);
  EXPECT_TRUE(destroyed);
}

TEST(WaitAny, HandlesMovedOrDestroyedWhileATaskWaitsOnThem) {
  EXPECT_EQ(blocks_left_by([] {
              scheduler s;
              channel<int> go(0);
              auto* doomed = new task<int>(s.spawn([&]() -> int {
                (void)go.recv();
                throw std::runtime_error("nobody will join this");
              }));
              task<int> moved = s.spawn([&] { return go.recv().value(); });
              std::size_t first = 99;
              task<void> waiter = s.spawn([&] { first = jmpco::wait_any(*doomed, moved).value(); });
              EXPECT_EQ(s.run_once(), 3u);
              delete doomed;  // the wait keeps the task
              task<int> elsewhere = std::move(moved);
              ASSERT_TRUE(go.try_send(0).ok());  // the thrower finishes first
              ASSERT_TRUE(s.run_once() >= 1u);
              ASSERT_TRUE(go.try_send(5).ok());
              ASSERT_TRUE(s.run().ok());
              EXPECT_EQ(first, 0u);
              EXPECT_EQ(s.unjoined_failures(), 1u);  // reported once, when the wait let go
              EXPECT_FALSE(moved);
              EXPECT_EQ(elsewhere.join().value(), 5);
            }),
            0);
}

TEST(WaitAny, AJoinTakesTheOutcomeAndWaitAnyOnlyReportsTheFinish) {
  scheduler s;
  channel<int> go(0);
  task<int> target = s.spawn([&] { return go.recv().value(); });
  std::vector<std::string> log;
  auto joiner = s.spawn([&] { log.push_back("joined " + std::to_string(target.join().value())); });
  auto waiter = s.spawn([&] {
    auto first = jmpco::wait_any(target, target);  // the same handle twice
    log.push_back("waited " + std::to_string(first.value()));
    log.push_back(target ? "handle held" : "handle empty");
    log.push_back("join: " + std::string(jmpco::message(target.join().code())));
  });
  EXPECT_EQ(s.run_once(), 3u);
  ASSERT_TRUE(go.try_send(4).ok());
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"joined 4", "waited 0", "handle empty",
                                           "join: coroutine handle is empty"}));
}

TEST(WaitAny, GivesTheLowestFinishedWhenItGoesOn) {
  scheduler s;
  auto a = s.spawn(after_turns(1, 1));
  auto b = s.spawn(after_turns(1, 2));
  std::size_t first = 99;
  auto waiter = s.spawn([&] { first = jmpco::wait_any(b, a).value(); });
  ASSERT_TRUE(s.run().ok());
  // a finished first and woke the waiter; b finished before the waiter ran.
  EXPECT_EQ(first, 0u);
}

TEST(WaitAny, TheOtherTasksFinishingLaterDoNotWakeTheWaiterAgain) {
  scheduler s;
  channel<int> go(0);
  channel<int> later(0);
  auto quick = s.spawn(after_turns(1, 1));
  auto blocked = s.spawn([&] { return go.recv().value(); });
  std::vector<int> got;
  auto waiter = s.spawn([&] {
    got.push_back(static_cast<int>(jmpco::wait_any(blocked, quick).value()));
    got.push_back(later.recv().value());  // parked elsewhere now: only `later` may wake it
  });
  EXPECT_EQ(s.run().code(), errc::deadlock);
  ASSERT_TRUE(go.try_send(5).ok());
  EXPECT_EQ(s.run().code(), errc::deadlock);  // blocked finished; the waiter still waits
  EXPECT_EQ(got, (std::vector<int>{1}));
  ASSERT_TRUE(later.try_send(6).ok());
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(got, (std::vector<int>{1, 6}));
  EXPECT_EQ(blocked.join().value(), 5);
}

TEST(WaitAny, AKilledTaskWaitingInADestructorGoesOn) {
  scheduler s;
  channel<int> never(0);
  auto target = s.spawn([&] { (void)never.recv(); });
  std::vector<errc> seen;
  struct wait_on_exit {  // a guard that waits for another task when its scope ends
    task<void>* target;
    std::vector<errc>* seen;
    ~wait_on_exit() {
      seen->push_back(jmpco::wait_any(*target).code());  // waits: the target never finishes
      seen->push_back(jmpco::wait_any(*target).code());  // once killed, fails at once
    }
  };
  auto t = s.spawn([&] { wait_on_exit guard{&target, &seen}; });
  EXPECT_EQ(s.run_once(), 2u);
  EXPECT_TRUE(t.kill().ok());
  EXPECT_EQ(seen, (std::vector<errc>{errc::closing, errc::yield_while_closing}));
  EXPECT_EQ(t.join().code(), errc::killed);
  EXPECT_TRUE(target.kill().ok());
}

TEST(WaitAny, AKilledTaskThatKeepsWaitingIsUnwound) {
#if defined(JMPCO_TEST_SLOW_TARGET)
  GTEST_SKIP() << "2^20 failing waits take minutes where every instruction is emulated";
#endif
  EXPECT_EQ(blocks_left_by([] {
              scheduler s;
              channel<int> never(0);
              auto target = s.spawn([&] { (void)never.recv(); });
              int waits = 0;
              bool destroyed = false;
              auto t = s.spawn([&] {
                destroyed_flag f{&destroyed};
                for (;;) {  // careless: every error ignored
                  (void)jmpco::wait_any(target);
                  ++waits;
                }
              });
              EXPECT_EQ(s.run_once(), 2u);
              EXPECT_TRUE(t.kill().ok());
              EXPECT_TRUE(destroyed);
              EXPECT_EQ(waits, 1 + (1 << 20));  // as every other wait: the next one is unwound
              EXPECT_TRUE(target.kill().ok());
            }),
            0);
}

// Every step of wait_any that allocates, in a task and from the main context.
void waiting_program() {
  scheduler s;
  channel<int> go(0);
  auto a = s.spawn([&] { return go.recv().code() == errc::ok ? 1 : -1; });
  auto b = s.spawn(after_turns(2, 2));
  auto waiter = s.spawn([&]() -> int {
    auto first = jmpco::wait_any(a, b);
    if (!first) return first.code() == errc::out_of_memory ? -2 : -3;
    return static_cast<int>(*first);
  });
  // Spawns that failed leave empty handles; a wait on them alone can never end.
  auto from_main = jmpco::wait_any(waiter, a);
  if (from_main) {
    EXPECT_TRUE(*from_main == 0u || *from_main == 1u);
  } else {
    const errc e = from_main.code();
    EXPECT_TRUE(e == errc::out_of_memory || e == errc::empty_handle || e == errc::deadlock)
        << jmpco::message(e);
  }
  // b (position 1) finishes first, unless a's receive failed for want of memory.
  if (auto w = waiter.join()) {
    EXPECT_TRUE(*w == 0 || *w == 1 || *w == -2) << *w;
  }
  (void)go.try_send(0);
  (void)s.run();
}

TEST(WaitAny, EveryAllocationFailingInTurnLeavesNothingBehind) {
  jmpco_test::each_allocation_failing run([] { jmpco_test::on_fresh_thread(waiting_program); },
                                          500);
  EXPECT_EQ(run.leaking_runs, 0);
  EXPECT_GT(run.runs, 5);
  EXPECT_LT(run.runs, 500);
}

}  // namespace
