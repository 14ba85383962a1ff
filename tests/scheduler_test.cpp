// SPDX-License-Identifier: MIT
// The scheduler, tasks and channels (include/jmpco/scheduler.hpp), as users and misusers use them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <list>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

namespace {

using jmpco::channel;
using jmpco::errc;
using jmpco::scheduler;
using namespace std::chrono_literals;

using jmpco_test::destroyed_flag;
using jmpco_test::throwing_move;

TEST(Scheduler, JoinFromTheMainContextRunsTheSchedulerAndGivesTheResult) {
  scheduler s;
  auto t = s.spawn([](int a, int b) { return a * b; }, 6, 7);
  EXPECT_FALSE(t.done());  // spawned, not yet run
  auto r = t.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
  EXPECT_FALSE(t);  // a joined handle is empty
  EXPECT_EQ(t.join().code(), errc::empty_handle);
  EXPECT_EQ(s.live_tasks(), 0u);
}

TEST(Scheduler, YieldingTasksTakeTurnsInSpawnOrder) {
  scheduler s;
  std::string trace;
  auto body = [&trace](char name) {
    for (int i = 0; i < 3; ++i) {
      trace += name;
      ASSERT_TRUE(jmpco::this_task::yield().ok());
    }
  };
  auto a = s.spawn(body, 'a');
  auto b = s.spawn(body, 'b');
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(trace, "ababab");
  EXPECT_TRUE(a.done() && b.done());  // zombies until joined
  EXPECT_TRUE(a.join().ok());
  EXPECT_TRUE(b.join().ok());
}

TEST(Scheduler, ATaskJoinsAnotherAndATaskCannotJoinItself) {
  scheduler s;
  auto worker = s.spawn([] {
    for (int i = 0; i < 5; ++i) (void)jmpco::this_task::yield();
    return std::string("work");
  });
  jmpco::task<std::string>* self_handle = nullptr;
  auto boss = s.spawn([&] {
    auto r = worker.join();
    EXPECT_EQ(self_handle->join().code(), errc::join_self);
    return r.ok() ? *r + " done" : std::string("failed");
  });
  self_handle = &boss;
  auto r = boss.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "work done");
}

TEST(Scheduler, AnExceptionOfATaskComesBackFromJoinAsItself) {
  scheduler s;
  auto t = s.spawn([]() -> int { throw std::runtime_error("task failed"); });
  auto r = t.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::exception);
  EXPECT_THROW(r.error().rethrow(), std::runtime_error);
}

TEST(Scheduler, KillUnwindsTheTaskWhereverItWaits) {
  scheduler s;
  channel<int> never(0);
  bool yielding = false, receiving = false, sleeping = false, joining = false;
  auto t1 = s.spawn([&] {
    destroyed_flag f{&yielding};
    for (;;) (void)jmpco::this_task::yield();
  });
  auto t2 = s.spawn([&] {
    destroyed_flag f{&receiving};
    (void)never.recv();
  });
  auto t3 = s.spawn([&] {
    destroyed_flag f{&sleeping};
    (void)jmpco::this_task::sleep_for(1h);
  });
  auto t4 = s.spawn([&] {
    destroyed_flag f{&joining};
    (void)t2.join();
  });
  EXPECT_EQ(s.run_once(), 4u);
  EXPECT_TRUE(t1.kill().ok());
  EXPECT_TRUE(t2.kill().ok());  // t4 waited for t2: it goes on
  EXPECT_TRUE(t3.kill().ok());
  EXPECT_TRUE(yielding && receiving && sleeping);
  EXPECT_FALSE(joining);
  EXPECT_EQ(t1.join().code(), errc::killed);
  EXPECT_EQ(t3.join().code(), errc::killed);
  EXPECT_TRUE(s.run().ok());
  EXPECT_TRUE(joining);
  EXPECT_TRUE(t4.join().ok());
  EXPECT_FALSE(s.next_deadline().has_value());  // the killed sleeper left the timer heap
}

TEST(Scheduler, ATaskCannotKillItself) {
  scheduler s;
  jmpco::task<void>* handle = nullptr;
  auto t = s.spawn([&] { EXPECT_EQ(handle->kill().code(), errc::close_running); });
  handle = &t;
  EXPECT_TRUE(t.join().ok());
}

TEST(Scheduler, KillingANeverStartedTaskRunsNothing) {
  scheduler s;
  bool ran = false;
  auto t = s.spawn([&] { ran = true; });
  EXPECT_TRUE(t.kill().ok());
  EXPECT_TRUE(s.run().ok());
  EXPECT_FALSE(ran);
  EXPECT_EQ(t.join().code(), errc::killed);
}

TEST(Scheduler, ErrorsOfDetachedTasksAreNotLost) {
  scheduler s;
  std::vector<std::string> reported;
  s.on_unjoined_failure(
      [](const jmpco::error& e, void* user) noexcept {
        static_cast<std::vector<std::string>*>(user)->push_back(e.what());
      },
      &reported);
  s.spawn([] { throw std::runtime_error("detached failure"); }).detach();
  {
    auto dropped = s.spawn([]() -> int { throw std::runtime_error("dropped handle"); });
  }  // a handle destroyed without join detaches
  auto finished = s.spawn([]() -> int { throw std::runtime_error("zombie dropped"); });
  ASSERT_TRUE(s.run().ok());
  finished.detach();  // a failed zombie let go of: reported then
  EXPECT_EQ(s.unjoined_failures(), 3u);
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_EQ(reported[0], "detached failure");
  EXPECT_EQ(reported[2], "zombie dropped");
}

TEST(Scheduler, SleepersWakeInDeadlineOrder) {
  scheduler s;
  std::string order;
  // Deadlines from one instant far enough ahead that every task sleeps before the first is due,
  // however slowly they start (Valgrind): a deadline that passes before a task with an earlier
  // one has gone to sleep wakes first, as it should.
  const auto start = scheduler::clock::now();
  const auto base = start + 200ms;
  for (int ms : {30, 10, 20, 0}) {
    s.spawn([&order, ms, base] {
       (void)jmpco::this_task::sleep_until(base + std::chrono::milliseconds(ms));
       order += std::to_string(ms) + " ";
     }).detach();
  }
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(order, "0 10 20 30 ");
  EXPECT_GE(scheduler::clock::now() - start, 230ms);
}

TEST(Scheduler, DurationsTooLongForTheClockSleepUntilTheTaskIsKilled) {
  scheduler s;
  std::vector<errc> ended;
  auto sleep_of = [&](auto duration) {
    return s.spawn(
        [&ended, duration] { ended.push_back(jmpco::this_task::sleep_for(duration).code()); });
  };
  jmpco::task<void> sleepers[] = {sleep_of(std::chrono::hours::max()),
                                  sleep_of(std::chrono::nanoseconds::max()),
                                  sleep_of(std::chrono::seconds(std::int64_t{1} << 62)),
                                  sleep_of(std::chrono::duration<double>(1e300))};
  for (int i = 0; i < 3; ++i) (void)s.run_once(2ms);
  EXPECT_TRUE(ended.empty());  // a deadline that wrapped would have woken them at once
  for (auto& t : sleepers) EXPECT_TRUE(t.kill().ok());
  EXPECT_EQ(ended, std::vector<errc>(4, errc::closing));
  // Hugely negative: due at once.
  auto past = sleep_of(std::chrono::hours::min());
  EXPECT_TRUE(s.run().ok());
  EXPECT_EQ(ended.back(), errc::ok);
#if JMPCO_THREADS
  // run_once's own timeout saturates too: it waits until an interrupt ends the wait.
  std::thread waker([&] {
    std::this_thread::sleep_for(20ms);
    s.interrupt();
  });
  const auto start = scheduler::clock::now();
  EXPECT_EQ(s.run_once(scheduler::clock::duration::max()), 0u);
  EXPECT_GE(scheduler::clock::now() - start, 20ms);
  waker.join();
#endif
}

TEST(Scheduler, RunOnceAndNextDeadlineDriveTheSchedulerFromAnotherLoop) {
  scheduler s;
  int steps = 0;
  const auto wake_at = scheduler::clock::now() + 200ms;  // far enough for Valgrind's pace
  auto t = s.spawn([&] {
    ++steps;
    (void)jmpco::this_task::sleep_until(wake_at);
    ++steps;
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_EQ(steps, 1);
  ASSERT_TRUE(s.next_deadline().has_value());
  EXPECT_EQ(*s.next_deadline(), wake_at);
  EXPECT_EQ(s.run_once(), 0u);  // asleep: nothing to do yet
  // Wine's sleep may end a little before the steady clock reaches the deadline.
  std::this_thread::sleep_until(wake_at);
  while (scheduler::clock::now() < wake_at) std::this_thread::yield();
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_EQ(steps, 2);
  EXPECT_TRUE(t.join().ok());
}

TEST(Scheduler, DestroyingASchedulerUnwindsEveryTaskAndHandlesSeeKilled) {
  bool waiting = false, sleeping = false, started = false;
  jmpco::task<int> outliving;
  {
    scheduler s;
    channel<int> ch(0);
    s.spawn([&] {
       destroyed_flag f{&waiting};
       (void)ch.recv();
     }).detach();
    s.spawn([&] {
       destroyed_flag f{&sleeping};
       (void)jmpco::this_task::sleep_for(1h);
     }).detach();
    EXPECT_EQ(s.run_once(), 2u);
    outliving = s.spawn([&] {
      started = true;
      return 1;
    });
  }
  EXPECT_TRUE(waiting && sleeping);
  EXPECT_FALSE(started);
  EXPECT_EQ(outliving.join().code(), errc::killed);
}

TEST(Scheduler, BlockingOutsideATaskIsAnError) {
  channel<int> ch(1);
  EXPECT_EQ(jmpco::this_task::yield().code(), errc::outside_task);
  EXPECT_EQ(jmpco::this_task::sleep_for(1ms).code(), errc::outside_task);
  EXPECT_TRUE(ch.send(1).ok());  // room in the buffer: no need to block
  EXPECT_EQ(ch.send(2).code(), errc::outside_task);
  EXPECT_EQ(ch.recv().value(), 1);
  EXPECT_EQ(ch.recv().code(), errc::outside_task);
  EXPECT_EQ(scheduler::current(), nullptr);
  // A plain coroutine resumed by a task is not the task.
  scheduler s;
  auto t = s.spawn([&] {
    EXPECT_EQ(scheduler::current(), &s);
    jmpco::coroutine<int()> inner([&](jmpco::yielder<int()>&) {
      EXPECT_EQ(scheduler::current(), nullptr);
      return static_cast<int>(ch.recv().code());
    });
    return inner.resume().value();
  });
  EXPECT_EQ(t.join().value(), static_cast<int>(errc::outside_task));
}

TEST(Scheduler, TasksWaitingForEachOtherAreADeadlock) {
  scheduler s;
  channel<int> ch(0);
  auto t = s.spawn([&] { return ch.recv(); });
  EXPECT_EQ(s.run().code(), errc::deadlock);
  EXPECT_EQ(t.join().code(), errc::deadlock);
  EXPECT_TRUE(ch.try_send(5).ok());  // the waiting receiver takes it
  auto r = t.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, 5);
}

// ---- channels -----------------------------------------------------------------------------------

TEST(Channel, UnbufferedSendWaitsForTheReceiver) {
  scheduler s;
  channel<int> ch(0);
  std::string trace;
  auto sender = s.spawn([&] {
    for (int i = 1; i <= 3; ++i) {
      trace += "s" + std::to_string(i);
      EXPECT_TRUE(ch.send(i).ok());
    }
    EXPECT_TRUE(ch.close().ok());
  });
  auto receiver = s.spawn([&] {
    int sum = 0;
    while (auto v = ch.recv()) {
      trace += "r" + std::to_string(*v);
      sum += *v;
    }
    return sum;
  });
  EXPECT_EQ(receiver.join().value(), 6);
  // A send is done once a receiver holds the value: the first waits for the receiver; the
  // second finds it waiting and goes straight on to the third, which waits again.
  EXPECT_EQ(trace, "s1r1s2s3r2r3");
  EXPECT_TRUE(sender.join().ok());
}

TEST(Channel, AClosedChannelIsDrainedThenReportsClosed) {
  channel<std::string> ch(3);
  EXPECT_TRUE(ch.try_send("a").ok());
  EXPECT_TRUE(ch.try_send("b").ok());
  EXPECT_TRUE(ch.close().ok());
  EXPECT_EQ(ch.close().code(), errc::channel_closed);
  EXPECT_EQ(ch.try_send("c").code(), errc::channel_closed);
  EXPECT_EQ(ch.try_recv().value(), "a");
  EXPECT_EQ(ch.try_recv().value(), "b");
  EXPECT_EQ(ch.try_recv().code(), errc::channel_closed);
}

TEST(Channel, TryOperationsNeverBlock) {
  channel<int> ch(1);
  EXPECT_EQ(ch.try_recv().code(), errc::would_block);
  EXPECT_TRUE(ch.try_send(1).ok());
  EXPECT_EQ(ch.try_send(2).code(), errc::would_block);
  EXPECT_EQ(ch.size(), 1u);
  channel<int> rendezvous(0);
  EXPECT_EQ(rendezvous.try_send(1).code(), errc::would_block);  // nobody receives
}

TEST(Channel, CloseWakesEveryWaiter) {
  scheduler s;
  channel<int> ch(0);
  std::vector<errc> seen;
  for (int i = 0; i < 3; ++i) s.spawn([&] { seen.push_back(ch.recv().code()); }).detach();
  channel<int> full(1);
  ASSERT_TRUE(full.try_send(0).ok());
  s.spawn([&] { seen.push_back(full.send(1).code()); }).detach();
  EXPECT_EQ(s.run_once(), 4u);
  EXPECT_TRUE(ch.close().ok());
  EXPECT_TRUE(full.close().ok());
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(seen, std::vector<errc>(4, errc::channel_closed));
  EXPECT_EQ(full.try_recv().value(), 0);  // the buffered value survives; the waiting send failed
}

TEST(Channel, BufferedChannelsKeepOrderAcrossBlockedSenders) {
  scheduler s;
  channel<int> ch(2);
  std::vector<int> got;
  for (int id = 0; id < 3; ++id) {
    s.spawn([&ch, id] {
       for (int i = 0; i < 4; ++i) EXPECT_TRUE(ch.send(id * 10 + i).ok());
     }).detach();
  }
  auto consumer = s.spawn([&] {
    for (int i = 0; i < 12; ++i) got.push_back(ch.recv().value());
  });
  ASSERT_TRUE(consumer.join().ok());
  ASSERT_TRUE(s.run().ok());
  // Each producer's values arrive in its order.
  for (int id = 0; id < 3; ++id) {
    int last = -1;
    for (int v : got) {
      if (v / 10 != id) continue;
      EXPECT_GT(v, last);
      last = v;
    }
    EXPECT_EQ(last, id * 10 + 3);
  }
}

TEST(Channel, ManyTasksThroughOneChannel) {
  scheduler s;
  channel<long> ch(16);
  constexpr int tasks = 2000;
  for (int i = 0; i < tasks; ++i) s.spawn([&ch, i] { (void)ch.send(i); }).detach();
  auto sum = s.spawn([&] {
    long total = 0;
    for (int i = 0; i < tasks; ++i) total += ch.recv().value();
    return total;
  });
  EXPECT_EQ(sum.join().value(), long{tasks} * (tasks - 1) / 2);
  EXPECT_TRUE(s.run().ok());
}

// ---- hostile use
// ----------------------------------------------------------------------------------

TEST(Scheduler, ATaskThatDropsItsOwnHandleRunsOnDetached) {
  scheduler s;
  jmpco::task<int> handle;
  int steps = 0;
  handle = s.spawn([&] {
    handle = jmpco::task<int>();  // destroys the handle this task is held by
    ++steps;
    (void)jmpco::this_task::yield();
    ++steps;
    return 1;
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(steps, 2);
  EXPECT_FALSE(handle);
  EXPECT_EQ(s.live_tasks(), 0u);
}

TEST(Scheduler, DestructorsOfAKilledTaskCannotBlockAgain) {
  scheduler s;
  channel<int> ch(0);
  std::vector<errc> seen;
  struct blocks_in_destructor {
    std::vector<errc>* seen;
    channel<int>* ch;
    ~blocks_in_destructor() {
      seen->push_back(jmpco::this_task::yield().code());
      seen->push_back(ch->send(1).code());
    }
  };
  auto t = s.spawn([&] {
    blocks_in_destructor b{&seen, &ch};
    (void)ch.recv();
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_TRUE(t.kill().ok());
  EXPECT_EQ(seen, (std::vector<errc>{errc::yield_while_closing, errc::yield_while_closing}));
  EXPECT_EQ(t.join().code(), errc::killed);
}

TEST(Channel, AValueWhoseMoveThrowsFailsOnlyTheSendAndLosesNothing) {
  scheduler s;
  channel<throwing_move> ch(0);
  auto receiver = s.spawn([&] { return ch.recv().value().value; });
  EXPECT_EQ(s.run_once(), 1u);  // the receiver waits
  EXPECT_THROW((void)ch.try_send(throwing_move(1, true)), std::runtime_error);
  EXPECT_TRUE(ch.try_send(throwing_move(2, false)).ok());  // the receiver still waits for it
  EXPECT_EQ(receiver.join().value(), 2);
}

// Every receive, whichever of its moves throws: the value leaves the channel only once the
// receiver's copy exists, so a throw leaves it there (with its parked sender), and the refill of
// the buffer from a parked sender is the sender's to retry.
TEST(Channel, AReceiveWhoseMoveThrowsLeavesTheValueInTheChannel) {
  using jmpco_test::fragile;
  auto recv = [](channel<fragile>& ch, std::vector<int>& got) {
    if (auto v = ch.recv()) got.push_back(v->value);
  };
  auto try_recv = [](channel<fragile>& ch, std::vector<int>& got) {
    if (auto v = ch.try_recv()) got.push_back(v->value);
  };
  for (std::size_t capacity : {0u, 1u, 3u}) {
    std::vector<int> want;
    for (int i = 1; i <= static_cast<int>(capacity) + 1; ++i) want.push_back(i);
    for (int nth = 1; nth <= 4; ++nth) {
      SCOPED_TRACE("capacity " + std::to_string(capacity) + ", move " + std::to_string(nth));
      EXPECT_EQ(jmpco_test::received_around_a_throwing_move<channel<fragile>>(capacity, nth, recv),
                want);
      EXPECT_EQ(
          jmpco_test::received_around_a_throwing_move<channel<fragile>>(capacity, nth, try_recv),
          want);
    }
  }
  EXPECT_EQ(fragile::live, 0);
  EXPECT_EQ(fragile::dead_uses, 0);
}

// A parked sender's value moves into the buffer as a receive frees a place; if that move throws,
// the receive still has its value, and the sender offers again itself: a second throw comes out
// of its send, and frees its waiter.
TEST(Channel, ARefillWhoseMoveThrowsIsRetriedBySenderAndAThrowReachesIt) {
  using jmpco_test::fragile;
  const long left = jmpco_test::blocks_left_by([] {
    scheduler s;
    channel<fragile> ch(1);
    bool sender_threw = false;
    auto sender = s.spawn([&] {
      EXPECT_TRUE(ch.send(fragile(1)).ok());  // into the buffer
      try {
        (void)ch.send(fragile(2));  // parks, the buffer full
      } catch (const std::runtime_error&) {
        sender_threw = true;
      }
    });
    EXPECT_EQ(s.run_once(), 1u);
    fragile::moves_until_throw = 2;  // the receiver's copy of 1 is made; the refill with 2 throws
    auto first = ch.try_recv();
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->value, 1);
    EXPECT_EQ(ch.size(), 0u);
    fragile::moves_until_throw = 1;  // the sender's own retry throws too
    EXPECT_TRUE(sender.join().ok());
    EXPECT_TRUE(sender_threw);
    EXPECT_EQ(ch.try_recv().code(), errc::would_block);  // nothing left behind, nothing linked
  });
  EXPECT_EQ(left, 0);
  EXPECT_EQ(fragile::live, 0);
  EXPECT_EQ(fragile::dead_uses, 0);
}

// close() fails the parked senders without destroying their values: each goes with its sender's
// waiter, in the sender's task. A value whose destructor blocks cannot let a receive in while
// close() is halfway, and a receive after close() never serves a sender that close() failed.
struct yields_when_dropped {
  static inline int live = 0;
  yields_when_dropped() { ++live; }
  yields_when_dropped(yields_when_dropped&&) noexcept { ++live; }
  ~yields_when_dropped() {
    --live;
    if (jmpco::detail::running_task() != nullptr) (void)jmpco::this_task::yield();
  }
};

TEST(Channel, CloseLeavesTheDroppedValuesToTheirSenders) {
  {
    scheduler s;
    channel<yields_when_dropped> ch(0);
    std::vector<errc> seen;
    auto send = [&] { seen.push_back(ch.send(yields_when_dropped()).code()); };
    auto sender1 = s.spawn(send);
    auto sender2 = s.spawn(send);
    auto closer = s.spawn([&] { EXPECT_TRUE(ch.close().ok()); });
    auto receiver = s.spawn([&] { seen.push_back(ch.try_recv().code()); });
    EXPECT_TRUE(s.run().ok());
    EXPECT_EQ(seen, (std::vector<errc>{errc::channel_closed, errc::channel_closed,
                                       errc::channel_closed}));
  }
  EXPECT_EQ(yields_when_dropped::live, 0);
}

TEST(Channel, ASendThatMustWaitAndWhoseValueMoveThrowsLeavesNoBlock) {
  const long left = jmpco_test::blocks_left_by([] {
    scheduler s;
    channel<throwing_move> ch(0);
    bool threw = false;
    s.spawn([&] {
       try {
         // No receiver: the value moves into a waiter, and that move throws.
         (void)ch.send(throwing_move(1, true));
       } catch (const std::runtime_error&) {
         threw = true;
       }
     }).detach();
    EXPECT_TRUE(s.run().ok());
    EXPECT_TRUE(threw);
    EXPECT_EQ(ch.try_send(throwing_move(2, false)).code(), errc::would_block);  // no one waits
  });
  EXPECT_EQ(left, 0);
}

TEST(Channel, ASelectSendCaseWhoseValueMoveThrowsWhileItParksLeavesNoBlock) {
  const long left = jmpco_test::blocks_left_by([] {
    scheduler s;
    channel<throwing_move> ch(0);
    channel<int> idle(0);
    bool threw = false;
    s.spawn([&] {
       const throwing_move value(1, true);  // copied into the case; its move throws
       try {
         (void)jmpco::select(jmpco::recv_case(idle, [](const jmpco::result<int>&) {}),
                             jmpco::send_case(ch, value, [] {}));
       } catch (const std::runtime_error&) {
         threw = true;
       }
     }).detach();
    EXPECT_TRUE(s.run().ok());
    EXPECT_TRUE(threw);
    EXPECT_EQ(idle.try_send(1).code(), errc::would_block);  // the receive case was withdrawn
  });
  EXPECT_EQ(left, 0);
}

TEST(Channel, CapacityLimits) {
  channel<int> one(1);
  EXPECT_TRUE(one.try_send(1).ok());
  EXPECT_EQ(one.try_send(2).code(), errc::would_block);
  channel<int> huge(static_cast<std::size_t>(-1));  // its size in bytes would wrap
  EXPECT_EQ(huge.try_send(1).code(), errc::out_of_memory);
  EXPECT_EQ(huge.try_recv().code(), errc::out_of_memory);
  EXPECT_EQ(huge.capacity(), 0u);
}

// ---- every allocation failing in turn
// -------------------------------------------------------------

// A program using every allocating operation; every failure must come back as out_of_memory.
void allocating_program() {
  scheduler s;
  channel<int> ch(0);
  channel<int> buffered(4);
  auto producer = s.spawn([&] {
    for (int i = 0; i < 3; ++i) {
      auto sent = ch.send(i);
      if (!sent) return sent.code();
    }
    (void)ch.close();
    return errc::ok;
  });
  auto consumer = s.spawn([&] {
    int sum = 0;
    for (;;) {
      auto v = ch.recv();
      if (!v) return v.code() == errc::channel_closed ? sum : -1;
      sum += *v;
      (void)buffered.try_send(*v);
    }
  });
  auto p = producer.join();
  auto c = consumer.join();
  if (p.ok() && c.ok()) {
    EXPECT_TRUE(*p == errc::ok || *p == errc::out_of_memory);
    EXPECT_TRUE(*c == 3 || *c == -1 || *c < 3);
  } else {
    for (errc e : {p.code(), c.code()})
      EXPECT_TRUE(e == errc::ok || e == errc::out_of_memory || e == errc::empty_handle ||
                  e == errc::deadlock)
          << jmpco::message(e);
  }
}

TEST(Scheduler, EveryAllocationFailingInTurnLeavesNothingBehind) {
  jmpco_test::each_allocation_failing run(allocating_program, 500);
  EXPECT_EQ(run.leaking_runs, 0);
  EXPECT_GT(run.runs, 3);
  EXPECT_LT(run.runs, 500);
}

}  // namespace

TEST(Scheduler, TwoJoinsOfOneHandleGiveTheOutcomeOnce) {
  jmpco::scheduler s;
  jmpco::channel<int> go(0);
  jmpco::task<int> worker = s.spawn([&] { return go.recv().value() + 1; });
  std::vector<int> outcomes;
  auto join_it = [&] {
    auto r = worker.join();
    outcomes.push_back(r ? r.value() : -static_cast<int>(r.code()));
  };
  auto first = s.spawn(join_it);
  auto second = s.spawn(join_it);
  s.run_once();  // both wait in join
  ASSERT_TRUE(go.try_send(41));
  ASSERT_TRUE(s.run());
  // The joiner resumed first takes the result; the other finds it taken.
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), 42), 1);
  EXPECT_EQ(
      std::count(outcomes.begin(), outcomes.end(), -static_cast<int>(jmpco::errc::empty_handle)),
      1);
  EXPECT_FALSE(worker);
  EXPECT_EQ(s.unjoined_failures(), 0u);
}

TEST(Scheduler, AHandleDestroyedOrMovedWhileAJoinWaitsLeavesTheJoinItsResult) {
  jmpco::scheduler s;
  jmpco::channel<int> go(0);
  auto* handle = new jmpco::task<int>(s.spawn([&] { return go.recv().value(); }));
  int joined = 0;
  auto joiner = s.spawn([&] { joined = handle->join().value(); });
  s.run_once();
  jmpco::task<int> moved = std::move(*handle);  // the join now empties `moved`
  delete handle;                                // and nothing touches the old handle
  ASSERT_TRUE(go.try_send(7));
  ASSERT_TRUE(s.run());
  EXPECT_EQ(joined, 7);
  EXPECT_FALSE(moved);

  // A handle dropped for good while joined: the join still gets the failure, reported once.
  auto* lost = new jmpco::task<void>(s.spawn([&]() -> void {
    (void)go.recv();
    throw std::runtime_error("lost?");
  }));
  jmpco::errc seen = jmpco::errc::ok;
  auto watcher = s.spawn([&] { seen = lost->join().code(); });
  s.run_once();
  delete lost;
  ASSERT_TRUE(go.try_send(0));
  ASSERT_TRUE(s.run());
  EXPECT_EQ(seen, jmpco::errc::exception);
  EXPECT_EQ(s.unjoined_failures(), 0u);
}

TEST(Scheduler, AJoinFromTheMainContextSurvivesItsHandleBeingDestroyedByATask) {
  jmpco::scheduler s;
  auto* handle = new jmpco::task<int>();
  *handle = s.spawn([&] {
    (void)jmpco::this_task::yield();
    return 5;
  });
  auto destroyer = s.spawn([&] { delete handle; });
  jmpco::task<int>& joined = *handle;
  EXPECT_EQ(joined.join().value(), 5);
}

// The join's task finishes while the handle it was called on sits, moved, on a parked task's
// stack (saved elsewhere: the address holds other frames' bytes meanwhile). The join must not
// write there; the parked task finds its handle empty when it runs again.
TEST(Scheduler, AJoinLeavesAHandleMovedOntoAParkedTasksStackAlone) {
  scheduler s;
  s.set_cache_limit(0);  // freed task memory goes straight back: ASan sees a use after free
  channel<int> gate(0), park_b(0);
  jmpco::task<int> shared = s.spawn([&] {
    (void)gate.recv();
    return 7;
  });
  int joined = -1;
  bool b_still_holds = true;
  errc b_join = errc::ok;
  auto a = s.spawn([&] { joined = shared.join().value(); });
  auto b = s.spawn([&] {
    jmpco::task<int> mine = std::move(shared);  // onto this task's stack
    (void)park_b.recv();                        // parked while a's join goes on
    b_still_holds = bool(mine);
    b_join = mine.join().code();
    EXPECT_EQ(mine.kill().code(), errc::empty_handle);
  });
  auto c = s.spawn([&] {
    (void)jmpco::this_task::yield();
    ASSERT_TRUE(gate.send(1));  // the joined task finishes; a's join takes 7
    (void)jmpco::this_task::yield();
    ASSERT_TRUE(park_b.send(1));
  });
  ASSERT_TRUE(s.run());
  EXPECT_EQ(joined, 7);
  EXPECT_FALSE(b_still_holds);
  EXPECT_EQ(b_join, errc::empty_handle);
  EXPECT_EQ(s.live_tasks(), 0u);
}

TEST(Scheduler, AJoinLeavesAHandleMovedIntoASuspendedGeneratorAlone) {
  scheduler s;
  s.set_cache_limit(0);
  channel<int> gate(0);
  jmpco::task<int> shared = s.spawn([&] {
    (void)gate.recv();
    return 7;
  });
  errc generator_join = errc::ok;
  jmpco::generator<int> g([&](jmpco::yielder<int()>& y) {
    jmpco::task<int> mine = std::move(shared);  // onto the generator's stack
    y.yield(1);                                 // suspended: its stack saved elsewhere
    generator_join = mine.join().code();
    y.yield(2);
  });
  auto a = s.spawn([&] { EXPECT_EQ(shared.join().value(), 7); });
  EXPECT_EQ(s.run_once(), 2u);  // `shared` parks on the gate, `a` joins it
  auto it = g.begin();          // the generator takes the handle and suspends
  auto c = s.spawn([&] { ASSERT_TRUE(gate.send(1)); });
  ASSERT_TRUE(s.run());
  ++it;
  EXPECT_EQ(*it, 2);
  EXPECT_EQ(generator_join, errc::empty_handle);
}

namespace {
struct moves_throw_when_told {
  static inline bool fail = false;
  int value;
  explicit moves_throw_when_told(int v) : value(v) {}
  moves_throw_when_told(const moves_throw_when_told&) = default;
  moves_throw_when_told(moves_throw_when_told&& other) : value(other.value) {
    if (fail) throw std::runtime_error("move failed");
  }
};
}  // namespace

// The coroutine rule, for tasks: a result whose move throws stays for the next join.
TEST(Scheduler, AJoinWhoseResultsMoveThrowsLeavesTheResultForTheNextJoin) {
  scheduler s;
  auto t = s.spawn([] { return moves_throw_when_told(7); });
  ASSERT_TRUE(s.run());
  moves_throw_when_told::fail = true;
  EXPECT_THROW((void)t.join(), std::runtime_error);
  moves_throw_when_told::fail = false;
  EXPECT_TRUE(t);
  auto again = t.join();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->value, 7);
  EXPECT_FALSE(t);
  EXPECT_EQ(t.join().code(), errc::empty_handle);
  EXPECT_EQ(s.live_tasks(), 0u);
}

TEST(Scheduler, AKillThatFindsTheTaskWaitingInADestructorDoesNotTerminate) {
  scheduler s;
  channel<int> done(0);
  std::vector<errc> seen;
  struct notify_on_exit {  // a guard that reports on a channel when its scope ends
    channel<int>* ch;
    std::vector<errc>* seen;
    ~notify_on_exit() {
      seen->push_back(ch->send(1).code());  // waits: nobody receives
      seen->push_back(ch->send(2).code());  // once killed, fails at once
    }
  };
  auto t = s.spawn([&] { notify_on_exit guard{&done, &seen}; });
  EXPECT_EQ(s.run_once(), 1u);  // the body has returned; the guard waits in send
  EXPECT_TRUE(t.kill().ok());   // used to throw the forced unwind out of the destructor
  EXPECT_EQ(seen, (std::vector<errc>{errc::closing, errc::yield_while_closing}));
  EXPECT_EQ(t.join().code(), errc::killed);
  EXPECT_EQ(done.size(), 0u);
}

TEST(Scheduler, AKilledTaskWhoseWaitsKeepFailingRunsOnUntilItReturns) {
  scheduler s;
  channel<int> never(0);
  int failed_at_once = 0;
  bool destroyed = false;
  auto t = s.spawn([&] {
    destroyed_flag f{&destroyed};
    if (never.recv().code() != errc::closing) return;
    for (int i = 0; i < 1000; ++i) {  // careless: the errors ignored, for a while
      if (never.recv().code() == errc::yield_while_closing) ++failed_at_once;
    }
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_TRUE(t.kill().ok());
  EXPECT_TRUE(destroyed);
  EXPECT_EQ(failed_at_once, 1000);  // never a forced unwind, which a destructor could not take
  EXPECT_EQ(t.join().code(), errc::killed);
}

TEST(Scheduler, AKilledTaskThatIgnoresTheErrorsOfItsWaitsIsUnwoundAtLast) {
#if defined(JMPCO_TEST_SLOW_TARGET)
  GTEST_SKIP() << "2^20 failing waits take minutes where every instruction is emulated";
#endif
  scheduler s;
  channel<int> never(0);
  long waits = 0;
  bool destroyed = false;
  auto t = s.spawn([&] {
    destroyed_flag f{&destroyed};
    for (;;) {  // careless: every error ignored
      (void)never.recv();
      ++waits;
    }
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_TRUE(t.kill().ok());
  EXPECT_TRUE(destroyed);
  EXPECT_EQ(waits, 1 + (1L << 20));  // the killed wait, then 2^20 failed at once; the next unwinds
  EXPECT_EQ(t.join().code(), errc::killed);
}

// Connections closed gracefully: each one's destructor sends a goodbye. Twenty of them in a
// killed task wait twenty times in all, each wait failing at once; none throws.
TEST(Scheduler, EveryDestructorOfAKilledTaskMayWaitAndAllOfThemRun) {
  scheduler s;
  channel<int> goodbyes(0);  // nobody receives
  std::vector<errc> seen;
  struct connection {
    channel<int>* goodbyes;
    std::vector<errc>* seen;
    connection(channel<int>* ch, std::vector<errc>* log) : goodbyes(ch), seen(log) {}
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() { seen->push_back(goodbyes->send(1).code()); }
  };
  auto t = s.spawn([&] {
    std::list<connection> open;
    for (int i = 0; i < 20; ++i) open.emplace_back(&goodbyes, &seen);
    (void)goodbyes.recv();  // parked when killed
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_TRUE(t.kill().ok());
  ASSERT_EQ(seen.size(), 20u);
  for (errc code : seen) EXPECT_EQ(code, errc::yield_while_closing);
  EXPECT_EQ(t.join().code(), errc::killed);
  EXPECT_TRUE(s.run());
}

TEST(Scheduler, RunOnceCopesWithATaskKillingOthersThatWereReady) {
  scheduler s;
  jmpco::task<void> victim;
  bool victim_ran = false;
  auto killer = s.spawn([&] { EXPECT_TRUE(victim.kill().ok()); });
  victim = s.spawn([&] { victim_ran = true; });
  EXPECT_EQ(s.run_once(), 1u);  // two were ready; the second was killed by the first
  EXPECT_FALSE(victim_ran);
  EXPECT_EQ(victim.join().code(), errc::killed);
}
