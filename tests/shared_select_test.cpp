// SPDX-License-Identifier: MIT
// jmpco::select over shared_channel cases (include/jmpco/scheduler.hpp): selects whose channels
// are fired by other threads' schedulers, mixed with channel<T> cases and a default, as users and
// misusers use them.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

#if JMPCO_THREADS

namespace {

using jmpco::channel;
using jmpco::default_case;
using jmpco::errc;
using jmpco::recv_case;
using jmpco::result;
using jmpco::scheduler;
using jmpco::send_case;
using jmpco::shared_channel;
using jmpco_test::checksum;
using jmpco_test::expected_for;
using jmpco_test::parcel;
using namespace std::chrono_literals;

// Values each throughput test moves per channel (fewer where every instruction is emulated).
#if defined(JMPCO_TEST_SLOW_TARGET)
constexpr std::uint64_t values_per_channel = 1000;
#else
constexpr std::uint64_t values_per_channel = 10000;
#endif

// Values first, first+1, ..., n-1 sent on `ch` by a task of a scheduler on a thread of its own,
// then the channel closed.
std::thread send_range(shared_channel<std::uint64_t>& ch, std::uint64_t first, std::uint64_t n) {
  return std::thread([&ch, first, n] {
    scheduler s;
    auto sender = s.spawn([&ch, first, n] {
      for (std::uint64_t v = first; v < n; ++v) {
        if (!ch.send(v)) return false;
      }
      return ch.close().ok();
    });
    EXPECT_TRUE(sender.join().value());
  });
}

// `selectors` tasks on one thread each select over both channels until both are closed; each of
// the two channels is fed by a thread of its own, so that two threads race to fire one select.
checksum select_from_two_threads(std::size_t capacity, unsigned selectors) {
  shared_channel<std::uint64_t> low(capacity);
  shared_channel<std::uint64_t> high(capacity);
  std::vector<checksum> seen(selectors);
  std::thread receiving([&] {
    scheduler s;
    std::vector<jmpco::task<bool>> tasks;
    for (unsigned k = 0; k < selectors; ++k) {
      tasks.push_back(s.spawn([&, k] {
        bool low_open = true;
        bool high_open = true;
        while (low_open || high_open) {
          auto take = [&](bool& open) {
            return [&seen, &open, k](result<std::uint64_t> v) {
              if (v)
                seen[k].add(*v);
              else
                open = false;
            };
          };
          // A closed channel's case stays ready: leave it out once it has said so.
          result<std::size_t> which =
              low_open && high_open
                  ? jmpco::select(recv_case(low, take(low_open)), recv_case(high, take(high_open)))
              : low_open ? jmpco::select(recv_case(low, take(low_open)))
                         : jmpco::select(recv_case(high, take(high_open)));
          if (!which) return false;
        }
        return true;
      }));
    }
    for (auto& t : tasks) EXPECT_TRUE(t.join().value());
  });
  std::thread feeding_low = send_range(low, 0, values_per_channel);
  std::thread feeding_high = send_range(high, values_per_channel, 2 * values_per_channel);
  feeding_low.join();
  feeding_high.join();
  receiving.join();
  checksum total;
  for (const checksum& c : seen) total.merge(c);
  return total;
}

TEST(SharedSelect, EveryValueFromTwoFeedingThreadsArrivesOnce) {
  EXPECT_TRUE(select_from_two_threads(0, 1) == expected_for(2 * values_per_channel));
  EXPECT_TRUE(select_from_two_threads(64, 1) == expected_for(2 * values_per_channel));
}

TEST(SharedSelect, SeveralSelectingTasksRaceForTheSameValues) {
  EXPECT_TRUE(select_from_two_threads(0, 3) == expected_for(2 * values_per_channel));
  EXPECT_TRUE(select_from_two_threads(1, 4) == expected_for(2 * values_per_channel));
}

// A select's send cases, taken by receivers on two other threads: each value once.
TEST(SharedSelect, SendCasesTakenByTwoReceivingThreads) {
  const std::uint64_t n = 2 * values_per_channel;
  shared_channel<std::uint64_t> left(0);
  shared_channel<std::uint64_t> right(0);
  checksum got_left;
  checksum got_right;
  auto receive_all = [](shared_channel<std::uint64_t>& ch, checksum& got) {
    return std::thread([&ch, &got] {
      scheduler s;
      auto receiver = s.spawn([&] {
        while (auto v = ch.recv()) got.add(*v);
      });
      EXPECT_TRUE(s.run().ok());
    });
  };
  std::thread on_left = receive_all(left, got_left);
  std::thread on_right = receive_all(right, got_right);
  {
    scheduler s;
    auto sender = s.spawn([&] {
      for (std::uint64_t v = 0; v < n; ++v) {
        if (!jmpco::select(send_case(left, v), send_case(right, v))) return false;
      }
      return left.close().ok() && right.close().ok();
    });
    EXPECT_TRUE(sender.join().value());
  }
  on_left.join();
  on_right.join();
  EXPECT_GT(got_left.count, 0u);
  EXPECT_GT(got_right.count, 0u);
  got_left.merge(got_right);
  EXPECT_TRUE(got_left == expected_for(n));
}

// Two threads whose selects send to each other, each select holding both channels' locks while
// it looks and parks (listed in opposite orders): no deadlock, every value once.
TEST(SharedSelect, TwoThreadsSelectingOnTheSameChannelsInOppositeOrders) {
  const std::uint64_t n = values_per_channel / 2;  // each value a rendezvous between the threads
  shared_channel<std::uint64_t> there(0);
  shared_channel<std::uint64_t> back(0);
  auto play = [](shared_channel<std::uint64_t>& out, shared_channel<std::uint64_t>& in,
                 bool out_first, checksum& got, std::uint64_t n) {
    return std::thread([&out, &in, n, out_first, &got] {
      scheduler s;
      auto player = s.spawn([&] {
        std::uint64_t sent = 0;
        bool in_open = true;
        auto receive = [&](result<std::uint64_t> v) {
          if (v)
            got.add(*v);
          else
            in_open = false;
        };
        while (sent < n && in_open) {
          auto count_sent = [&] { ++sent; };
          result<std::size_t> which =
              out_first ? jmpco::select(send_case(out, sent, count_sent), recv_case(in, receive))
                        : jmpco::select(recv_case(in, receive), send_case(out, sent, count_sent));
          if (!which) return false;
        }
        for (; sent < n; ++sent) {
          if (!out.send(sent)) return false;
        }
        if (!out.close()) return false;
        while (in_open) receive(in.recv());
        return true;
      });
      EXPECT_TRUE(player.join().value());
    });
  };
  checksum got_there;
  checksum got_back;
  std::thread one = play(there, back, true, got_back, n);
  std::thread other = play(back, there, false, got_there, n);
  one.join();
  other.join();
  EXPECT_TRUE(got_there == expected_for(n));
  EXPECT_TRUE(got_back == expected_for(n));
}

// A worker pool as Go writes it: workers on two threads select on a shared job channel and a
// shared quit channel; channel<T> cases of their own thread mix in.
TEST(SharedSelect, WorkersSelectOnJobsQuitAndALocalChannel) {
  const std::uint64_t n = values_per_channel;
  shared_channel<std::uint64_t> jobs(16);
  shared_channel<int> quit(0);
  std::atomic<std::uint64_t> done_sum{0};
  std::atomic<std::uint64_t> done_count{0};
  auto worker_thread = [&] {
    return std::thread([&] {
      scheduler s;
      channel<std::uint64_t> local(0);  // a second source, fed by a task of this thread
      auto feeder = s.spawn([&] {
        for (std::uint64_t v = 0; v < 100; ++v) (void)local.send(n + v);
      });
      auto worker = s.spawn([&] {
        for (bool stop = false; !stop;) {
          auto work = [&](result<std::uint64_t> v) {
            if (!v) return;
            done_sum += *v;
            ++done_count;
          };
          auto which = jmpco::select(recv_case(jobs, work), recv_case(local, work),
                                     recv_case(quit, [&](result<int>) { stop = true; }));
          if (!which) return false;
        }
        return true;
      });
      EXPECT_TRUE(worker.join().value());
      EXPECT_TRUE(s.run().ok());  // the feeder finished before quit came
    });
  };
  std::thread a = worker_thread();
  std::thread b = worker_thread();
  {
    scheduler s;
    auto boss = s.spawn([&] {
      for (std::uint64_t v = 0; v < n; ++v) {
        if (!jobs.send(v)) return false;
      }
      // Every job is taken, not every job is done: wait until the counts say so, then quit.
      while (done_count.load() != n + 200) (void)jmpco::this_task::sleep_for(1ms);
      return quit.close().ok();
    });
    EXPECT_TRUE(boss.join().value());
  }
  a.join();
  b.join();
  EXPECT_EQ(done_count.load(), n + 200);
  EXPECT_EQ(done_sum.load(), expected_for(n).sum + 2 * (expected_for(n + 100, n).sum));
}

TEST(SharedSelect, TheDefaultRunsWhenNoSharedCaseIsReadyAndLeavesNoWaitBehind) {
  shared_channel<int> in(0);
  shared_channel<int> out(0);
  bool idle = false;
  auto which = jmpco::select(recv_case(in, [](result<int>) { FAIL(); }), send_case(out, 1),
                             default_case([&] { idle = true; }));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(*which, 2u);
  EXPECT_TRUE(idle);
  EXPECT_EQ(in.try_send(1).code(), errc::would_block);  // nobody waits on either
  EXPECT_EQ(out.try_recv().code(), errc::would_block);
  // Ready ones win over the default, outside a task too.
  shared_channel<int> full(1);
  ASSERT_TRUE(full.try_send(4).ok());
  int got = 0;
  which = jmpco::select(default_case([] { FAIL(); }), recv_case(in, [](result<int>) { FAIL(); }),
                        recv_case(full, [&](result<int> v) { got = v.value(); }));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(*which, 2u);
  EXPECT_EQ(got, 4);
  // Without a default, outside a task: it cannot wait.
  EXPECT_EQ(jmpco::select(recv_case(in, [](result<int>) {})).code(), errc::outside_task);
  EXPECT_EQ(in.try_send(1).code(), errc::would_block);
}

TEST(SharedSelect, AnIdleSchedulerWaitsForTheOtherThreadInsteadOfDeadlocking) {
  shared_channel<int> a(0);
  shared_channel<int> b(0);
  scheduler s;
  auto selecting = s.spawn([&] {
    int got = 0;
    auto which = jmpco::select(recv_case(a, [&](result<int> v) { got = v.value(); }),
                               recv_case(b, [&](result<int> v) { got = -v.value(); }));
    return which.ok() ? got : -1000;
  });
  std::thread late([&] {
    std::this_thread::sleep_for(30ms);
    scheduler other;
    auto sender = other.spawn([&] { return b.send(7).ok(); });
    EXPECT_TRUE(sender.join().value());
  });
  EXPECT_EQ(selecting.join().value(), -7);  // not errc::deadlock
  late.join();
  // A select over channel<T> cases only is no wait for another thread: still a deadlock.
  channel<int> local(0);
  auto stuck = s.spawn([&] { return jmpco::select(recv_case(local, [](result<int>) {})).code(); });
  EXPECT_EQ(s.run().code(), errc::deadlock);
  ASSERT_TRUE(stuck.kill().ok());
}

TEST(SharedSelect, TheSameChannelInSeveralCases) {
  scheduler s;
  shared_channel<std::string> ch(0);
  std::string trace;
  // A receive and a send on one unbuffered channel cannot meet each other: the select waits.
  auto both = s.spawn([&] {
    return jmpco::select(recv_case(ch, [&](result<std::string> v) { trace += "r" + v.value(); }),
                         send_case(ch, std::string("mine"), [&] { trace += "s"; }))
        .value();
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_FALSE(both.done());
  auto got = ch.try_recv();  // its send case is a waiting sender
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "mine");
  EXPECT_EQ(both.join().value(), 1u);
  EXPECT_EQ(trace, "s");
  EXPECT_EQ(ch.try_recv().code(), errc::would_block);  // its receive went with it
  // The same receive twice: one runs, once.
  auto twice = s.spawn([&] {
    return jmpco::select(recv_case(ch, [&](result<std::string> v) { trace += "1" + v.value(); }),
                         recv_case(ch, [&](result<std::string> v) { trace += "2" + v.value(); }))
        .value();
  });
  EXPECT_EQ(s.run_once(), 1u);
  ASSERT_TRUE(ch.try_send(std::string("x")).ok());
  EXPECT_EQ(ch.try_send(std::string("y")).code(), errc::would_block);  // not taken twice
  const std::size_t which = twice.join().value();
  EXPECT_EQ(trace, "s" + std::to_string(which + 1) + "x");
  // With a buffer, the send case is ready at once.
  shared_channel<int> buffered(1);
  EXPECT_EQ(jmpco::select(recv_case(buffered, [](result<int>) {}), send_case(buffered, 3)).value(),
            1u);
  EXPECT_EQ(buffered.try_recv().value(), 3);
}

TEST(SharedSelect, KillingAParkedSelectWithdrawsItsWaitsOnEveryChannel) {
  scheduler s;
  shared_channel<int> a(0);
  shared_channel<std::string> b(0);
  channel<int> local(0);
  bool unwound = false;
  auto selecting = s.spawn([&] {
    jmpco_test::destroyed_flag flag{&unwound};
    return jmpco::select(recv_case(a, [](result<int>) {}), recv_case(local, [](result<int>) {}),
                         send_case(b, std::string(100, 'x')))  // a heap value in the waiter
        .code();
  });
  EXPECT_EQ(s.run_once(), 1u);  // parked on all three
  ASSERT_TRUE(selecting.kill().ok());
  EXPECT_TRUE(unwound);
  EXPECT_EQ(selecting.join().code(), errc::killed);
  EXPECT_EQ(a.try_send(1).code(), errc::would_block);
  EXPECT_EQ(b.try_recv().code(), errc::would_block);
  EXPECT_EQ(local.try_send(1).code(), errc::would_block);
  EXPECT_TRUE(s.run().ok());  // no wait for another thread left counted
}

TEST(SharedSelect, KilledAfterAnotherThreadFiredItBeforeItRan) {
  parcel::dropped = 0;
  scheduler s;
  shared_channel<parcel> a(0);
  shared_channel<parcel> b(0);
  long consumed = 0;
  auto selecting = s.spawn([&] {
    auto take = [&](result<parcel> p) {
      if (p) p->consume(), ++consumed;
    };
    return jmpco::select(recv_case(a, take), recv_case(b, take)).code();
  });
  EXPECT_EQ(s.run_once(), 1u);
  std::thread([&] { EXPECT_TRUE(b.try_send(parcel()).ok()); }).join();  // queued as a remote wake
  EXPECT_EQ(a.try_send(parcel()).code(), errc::would_block);            // the select is taken
  ASSERT_TRUE(selecting.kill().ok());  // before it ran: the wake is withdrawn, the value dropped
  EXPECT_EQ(selecting.join().code(), errc::killed);
  EXPECT_TRUE(s.run().ok());
  EXPECT_EQ(consumed, 0);
  EXPECT_EQ(parcel::dropped.load(), 2);  // the one handed to the select, and the refused one
}

TEST(SharedSelect, ASchedulerDestroyedWhileItsSelectsWaitAndAnotherThreadSends) {
  parcel::dropped = 0;
  long received = 0;
  shared_channel<parcel> a(2);
  shared_channel<parcel> b(0);
  jmpco_test::parcel_offers<shared_channel<parcel>> offers({&a, &b});
  for (int round = 0; round < 50; ++round) {
    scheduler s;
    channel<int> local(0);
    for (int i = 0; i < 3; ++i) {
      (void)s.spawn([&] {
        auto take = [&](result<parcel> p) {
          if (p) p->consume(), ++received;
        };
        while (jmpco::select(recv_case(a, take), recv_case(b, take),
                             recv_case(local, [](result<int>) {}))) {
        }
      });
    }
    for (int i = 0; i < 5; ++i) (void)s.run_once(1ms);
    // Destroyed with its selects parked or woken, while the other thread keeps sending.
  }
  received += offers.finish();
  EXPECT_GT(received, 0);
  EXPECT_EQ(received + parcel::dropped.load(), offers.sent.load() + offers.refused);
}

TEST(SharedSelect, ChannelsClosedOrDestroyedOnAnotherThreadWhileItWaits) {
  auto in = std::make_unique<shared_channel<std::vector<int>>>(0);
  auto out = std::make_unique<shared_channel<std::vector<int>>>(0);
  std::atomic<int> parked{0};
  errc recv_seen = errc::ok;
  errc send_seen = errc::ok;
  std::thread waiting([&] {
    scheduler s;
    auto receiving = s.spawn([&] {
      ++parked;
      return jmpco::select(
                 recv_case(*in, [&](result<std::vector<int>> v) { recv_seen = v.code(); }))
          .value();
    });
    auto sending = s.spawn([&] {
      ++parked;
      // Its value waits in the select's waiter until the channel goes.
      return jmpco::select(send_case(*out, std::vector<int>(100, 1))).code();
    });
    EXPECT_EQ(receiving.join().value(), 0u);
    send_seen = sending.join().value();
  });
  while (parked.load() < 2) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);  // parked by now (if not, they find the channels closed)
  ASSERT_TRUE(in->close().ok());
  in.reset();
  out.reset();  // destroyed: closed, and its state goes with the select's waiter
  waiting.join();
  EXPECT_EQ(recv_seen, errc::channel_closed);
  EXPECT_EQ(send_seen, errc::channel_closed);
}

TEST(SharedSelect, AValueWhoseMoveThrowsAsItIsHandedToAParkedSelectStartsItOver) {
  scheduler s;
  shared_channel<jmpco_test::throwing_move> ch(0);
  shared_channel<int> other(0);
  int got = 0;
  auto selecting = s.spawn([&] {
    return jmpco::select(
               recv_case(ch, [&](result<jmpco_test::throwing_move> v) { got = v.value().value; }),
               recv_case(other, [](result<int>) {}))
        .value();
  });
  EXPECT_EQ(s.run_once(), 1u);
  EXPECT_THROW((void)ch.try_send(jmpco_test::throwing_move(1, true)), std::runtime_error);
  EXPECT_EQ(s.run_once(), 1u);  // woken to start over: it parks again
  EXPECT_FALSE(selecting.done());
  ASSERT_TRUE(ch.try_send(jmpco_test::throwing_move(2, false)).ok());
  EXPECT_EQ(selecting.join().value(), 0u);
  EXPECT_EQ(got, 2);
  EXPECT_EQ(other.try_send(1).code(), errc::would_block);
}

// Moves until a shared countdown reaches zero, then throws.
std::atomic<int> moves_left{1000};
struct countdown_move {
  int value;
  explicit countdown_move(int v) : value(v) {}
  countdown_move(countdown_move&& other) : value(other.value) {
    if (moves_left-- == 0) throw std::runtime_error("move failed");
  }
  countdown_move& operator=(countdown_move&&) = default;
};

TEST(SharedSelect, AValueWhoseMoveThrowsAsItIsTakenFromAParkedSelectStaysWithIt) {
  scheduler s;
  shared_channel<countdown_move> ch(0);
  shared_channel<int> other(0);
  moves_left = 1000;
  auto selecting = s.spawn([&] {
    return jmpco::select(recv_case(other, [](result<int>) {}), send_case(ch, countdown_move(5)))
        .value();
  });
  EXPECT_EQ(s.run_once(), 1u);
  moves_left = 0;  // the move out of the select's waiter throws
  EXPECT_THROW((void)ch.try_recv(), std::runtime_error);
  moves_left = 1000;
  EXPECT_EQ(s.run_once(), 1u);  // it starts over, with its value, and parks again
  auto got = ch.try_recv();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value, 5);
  EXPECT_EQ(selecting.join().value(), 1u);
  // A plain waiting sender keeps its value the same way.
  auto sender = s.spawn([&] { return ch.send(countdown_move(6)).ok(); });
  EXPECT_EQ(s.run_once(), 1u);
  moves_left = 0;
  EXPECT_THROW((void)ch.try_recv(), std::runtime_error);
  moves_left = 1000;
  got = ch.try_recv();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value, 6);
  EXPECT_TRUE(sender.join().value());
}

TEST(SharedSelect, AValueWhoseMoveThrowsInAReadyCaseLeavesTheLocksAndTheReceiverAlone) {
  scheduler s;
  shared_channel<countdown_move> ch(0);
  shared_channel<int> other(0);
  moves_left = 1000;
  auto receiver = s.spawn([&] { return ch.recv().value().value; });
  EXPECT_EQ(s.run_once(), 1u);  // parked: the send case below is ready
  auto selecting = s.spawn([&] {
    auto c = send_case(ch, countdown_move(7));
    moves_left = 0;  // the move into the receiver throws, with both channels locked
    try {
      (void)jmpco::select(recv_case(other, [](result<int>) {}), std::move(c));
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  });
  EXPECT_TRUE(selecting.join().value());
  moves_left = 1000;
  EXPECT_EQ(other.try_send(1).code(), errc::would_block);  // its lock is free, nobody waits
  ASSERT_TRUE(ch.try_send(countdown_move(8)).ok());        // the receiver still waited
  EXPECT_EQ(receiver.join().value(), 8);
}

// ---- every allocation failing in turn ----------------------------------------------------------

// One thread, so that every run allocates the same: selects over shared and local channels. A
// task waiting on a shared channel blocks the scheduler (another thread might come), so each
// task closes the channels when it ends, whatever it ended with, and the other goes on.
void shared_selecting_program() {
  scheduler s;
  shared_channel<int> a(0);
  shared_channel<std::string> b(1);
  channel<int> local(0);
  auto close_all = [&] {
    (void)a.close();
    (void)b.close();
    (void)local.close();
  };
  auto chooser = s.spawn([&] {
    int sum = 0;
    for (int i = 0; i < 6; ++i) {
      auto which = jmpco::select(recv_case(a, [&](result<int> v) { sum += v.ok() ? *v : 0; }),
                                 recv_case(local, [&](result<int> v) { sum += v.ok() ? *v : 0; }),
                                 send_case(b, std::string(40, 'b')));
      if (!which) {
        close_all();
        if (which.code() == errc::channel_closed) return sum;  // the feeder gave up
        return which.code() == errc::out_of_memory ? -1 : -2;
      }
    }
    close_all();
    return sum;
  });
  if (!chooser) close_all();
  auto feeder = s.spawn([&] {
    for (int i = 0; i < 2; ++i) {
      if (!a.send(10) || !local.send(1) || !b.recv()) break;
    }
    close_all();
  });
  if (!feeder) close_all();
  auto c = chooser.join();
  auto f = feeder.join();
  for (errc e : {c.code(), f.code()}) {
    EXPECT_TRUE(e == errc::ok || e == errc::out_of_memory || e == errc::empty_handle)
        << jmpco::message(e);
  }
  if (c.ok()) {
    EXPECT_NE(*c, -2);
  }
}

TEST(SharedSelect, EveryAllocationFailingInTurnLeavesNothingBehind) {
  jmpco_test::each_allocation_failing run(shared_selecting_program, 500);
  EXPECT_EQ(run.leaking_runs, 0);
  EXPECT_GT(run.runs, 5);
  EXPECT_LT(run.runs, 500);
}

}  // namespace

#endif  // JMPCO_THREADS
