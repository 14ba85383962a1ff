// SPDX-License-Identifier: MIT
// jmpco::shared_channel (include/jmpco/scheduler.hpp): channels between schedulers on different
// threads, as users and misusers use them.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

#if JMPCO_THREADS

namespace {

using jmpco::errc;
using jmpco::scheduler;
using jmpco::shared_channel;
using jmpco_test::checksum;
using jmpco_test::expected_for;
using jmpco_test::parcel;
using namespace std::chrono_literals;

// How many values the throughput tests move: 10 million, scaled down where every instruction is
// emulated (Valgrind, qemu, Wine: JMPCO_TEST_SLOW_TARGET).
#if defined(JMPCO_TEST_SLOW_TARGET)
constexpr std::uint64_t values_to_move = 100000;
#else
constexpr std::uint64_t values_to_move = 10000000;
#endif

// `senders` tasks on one thread send 0..n-1 between them; `receivers` tasks on another receive
// until the channel is closed. Returns what the receivers saw.
checksum move_between_threads(std::uint64_t n, std::size_t capacity, unsigned senders,
                              unsigned receivers) {
  shared_channel<std::uint64_t> ch(capacity);
  std::vector<checksum> seen(receivers);
  std::thread receiving([&] {
    scheduler s;
    std::vector<jmpco::task<void>> tasks;
    for (unsigned r = 0; r < receivers; ++r) {
      tasks.push_back(s.spawn([&ch, &seen, r] {
        while (auto v = ch.recv()) seen[r].add(*v);
      }));
    }
    EXPECT_TRUE(s.run().ok());  // it blocks (not deadlock) while the other thread is slow
  });
  std::thread sending([&] {
    scheduler s;
    std::vector<jmpco::task<bool>> tasks;
    for (unsigned k = 0; k < senders; ++k) {
      tasks.push_back(s.spawn([&ch, n, k, senders] {
        for (std::uint64_t v = k; v < n; v += senders) {
          if (!ch.send(v)) return false;
        }
        return true;
      }));
    }
    for (auto& t : tasks) EXPECT_TRUE(t.join().value());
    EXPECT_TRUE(ch.close().ok());
  });
  sending.join();
  receiving.join();
  checksum total;
  for (const checksum& c : seen) total.merge(c);
  return total;
}

TEST(SharedChannel, TenMillionValuesBetweenTwoThreadsNothingLostOrDuplicated) {
  EXPECT_TRUE(move_between_threads(values_to_move, 1024, 1, 1) == expected_for(values_to_move));
}

TEST(SharedChannel, SeveralSendersAndReceiversOnTwoThreads) {
  EXPECT_TRUE(move_between_threads(values_to_move / 10, 64, 4, 3) ==
              expected_for(values_to_move / 10));
}

TEST(SharedChannel, UnbufferedAndCapacityOneAcrossThreads) {
  EXPECT_TRUE(move_between_threads(20000, 0, 2, 2) == expected_for(20000));
  EXPECT_TRUE(move_between_threads(20000, 1, 1, 2) == expected_for(20000));
}

TEST(SharedChannel, AnIdleSchedulerWaitsForAnotherThreadInsteadOfDeadlocking) {
  shared_channel<int> ch(0);
  scheduler s;
  auto receiver = s.spawn([&] { return ch.recv().value(); });
  // Taken before the sender's thread starts, so that the send comes 50 ms after it at the
  // earliest however late this thread gets to the join.
  const auto start = scheduler::clock::now();
  std::thread late([&] {
    std::this_thread::sleep_for(50ms);  // the receiver's scheduler has nothing to run meanwhile
    scheduler other;
    auto sender = other.spawn([&] { return ch.send(8).ok(); });
    EXPECT_TRUE(sender.join().value());
  });
  EXPECT_EQ(receiver.join().value(), 8);  // not errc::deadlock
  EXPECT_GE(scheduler::clock::now() - start, 50ms);
  late.join();
}

TEST(SharedChannel, OperationsOutsideATaskAndTryOperations) {
  shared_channel<int> ch(1);
  EXPECT_EQ(ch.try_recv().code(), errc::would_block);
  EXPECT_TRUE(ch.try_send(1).ok());
  EXPECT_EQ(ch.size(), 1u);
  EXPECT_EQ(ch.try_send(2).code(), errc::would_block);
  EXPECT_EQ(ch.send(2).code(), errc::outside_task);  // would block, and this is no task
  EXPECT_EQ(ch.recv().value(), 1);
  EXPECT_EQ(ch.recv().code(), errc::outside_task);
  EXPECT_TRUE(ch.close().ok());
  EXPECT_EQ(ch.close().code(), errc::channel_closed);
  EXPECT_EQ(ch.try_send(3).code(), errc::channel_closed);
  EXPECT_EQ(ch.recv().code(), errc::channel_closed);
  shared_channel<int> huge(static_cast<std::size_t>(-1));
  EXPECT_EQ(huge.try_send(1).code(), errc::out_of_memory);
}

TEST(SharedChannel, AChannelDestroyedWhileAnotherThreadsTasksWaitWakesThemClosed) {
  auto receive_from = std::make_unique<shared_channel<std::vector<int>>>(0);
  auto send_to = std::make_unique<shared_channel<std::vector<int>>>(0);
  std::atomic<int> started{0};
  errc received = errc::ok;
  errc sent = errc::ok;
  std::thread waiting([&] {
    scheduler s;
    auto receiver = s.spawn([&] {
      ++started;
      received = receive_from->recv().code();
    });
    auto sender = s.spawn([&] {
      ++started;
      sent = send_to->send(std::vector<int>(100, 1)).code();  // its value waits in the channel
    });
    EXPECT_TRUE(s.run().ok());  // blocks until the channels go
  });
  while (started.load() < 2) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);  // parked by now (if not, they find the channels closed)
  receive_from.reset();
  send_to.reset();
  waiting.join();
  EXPECT_EQ(received, errc::channel_closed);
  EXPECT_EQ(sent, errc::channel_closed);
}

TEST(SharedChannel, KillingATaskWokenByAnotherThreadBeforeItRanLosesNothingElse) {
  scheduler s;
  shared_channel<std::vector<int>> ch(0);
  bool unwound = false;
  auto receiver = s.spawn([&] {
    jmpco_test::destroyed_flag flag{&unwound};
    return ch.recv().value().size();
  });
  EXPECT_EQ(s.run_once(), 1u);  // parked
  // Sent from outside the scheduler's tasks: the wake goes through its queue of remote wakes.
  ASSERT_TRUE(ch.try_send(std::vector<int>(10, 1)).ok());
  ASSERT_TRUE(receiver.kill().ok());  // before it ran: withdrawn from the queue
  EXPECT_TRUE(unwound);
  EXPECT_EQ(receiver.join().code(), errc::killed);
  EXPECT_TRUE(s.run().ok());  // nothing is left waiting
  // And killed while still parked: its wait is withdrawn from the channel.
  auto parked = s.spawn([&] { return ch.recv().value().size(); });
  EXPECT_EQ(s.run_once(), 1u);
  ASSERT_TRUE(parked.kill().ok());
  EXPECT_EQ(ch.try_send(std::vector<int>(1, 1)).code(), errc::would_block);
}

TEST(SharedChannel, ASchedulerDestroyedOnItsThreadWhileAnotherThreadSendsToItsTasks) {
  parcel::dropped = 0;
  long received = 0;
  shared_channel<parcel> ch(4);
  jmpco_test::parcel_offers<shared_channel<parcel>> offers({&ch});
  for (int round = 0; round < 50; ++round) {
    scheduler s;
    for (int i = 0; i < 3; ++i) {
      (void)s.spawn([&] {
        while (auto v = ch.recv()) {
          v->consume();
          ++received;
        }
      });
    }
    for (int i = 0; i < 5; ++i) (void)s.run_once(1ms);
    // Destroyed with its receivers parked on the channel, while the sender keeps sending. A
    // value already handed to a receiver that is killed before it runs goes with it.
  }
  received += offers.finish();
  EXPECT_GT(received, 0);
  EXPECT_EQ(received + parcel::dropped.load(), offers.sent.load() + offers.refused);
}

TEST(SharedChannel, AValueWhoseMoveThrowsAcrossThreadsFailsOnlyThatSend) {
  shared_channel<jmpco_test::throwing_move> ch(0);
  std::atomic<bool> waiting{false};
  int got = 0;
  std::thread receiving([&] {
    scheduler s;
    auto t = s.spawn([&] {
      waiting.store(true);
      return ch.recv().value().value;
    });
    got = t.join().value();
  });
  while (!waiting.load()) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(10ms);  // parked by now
  EXPECT_THROW((void)ch.try_send(jmpco_test::throwing_move(1, true)), std::runtime_error);
  // The receiver still waits; keep offering until it has parked and takes the good value.
  while (ch.try_send(jmpco_test::throwing_move(2, false)).code() == errc::would_block) {
    std::this_thread::sleep_for(1ms);
  }
  receiving.join();
  EXPECT_EQ(got, 2);
}

// A scheduler with a task waiting on a shared_channel blocks for another thread rather than
// report a deadlock: so each side here closes the channel when it fails, and the other goes on.
void shared_program() {
  scheduler s;
  shared_channel<int> ch(0);
  shared_channel<int> buffered(2);
  auto consumer = s.spawn([&] {
    int sum = 0;
    for (;;) {
      auto v = ch.recv();
      if (!v) {
        (void)ch.close();
        return v.code() == errc::channel_closed ? sum : -1;
      }
      sum += *v;
      (void)buffered.try_send(*v);
    }
  });
  if (!consumer) (void)ch.close();  // nobody would receive
  auto producer = s.spawn([&] {
    for (int i = 0; i < 3; ++i) {
      if (!ch.send(i)) break;
    }
    return ch.close().ok();
  });
  if (!producer) (void)ch.close();  // nobody would send
  auto c = consumer.join();
  auto p = producer.join();
  for (errc e : {p.code(), c.code()}) {
    EXPECT_TRUE(e == errc::ok || e == errc::out_of_memory || e == errc::empty_handle)
        << jmpco::message(e);
  }
}

// As on channel<T> (channel_core is shared): a receive whose copy of the value throws leaves it in
// the channel; recv, try_recv and a select's receive case.
TEST(SharedChannel, AReceiveWhoseMoveThrowsLeavesTheValueInTheChannel) {
  using jmpco_test::fragile;
  using ch_t = jmpco::shared_channel<fragile>;
  auto recv = [](ch_t& ch, std::vector<int>& got) {
    if (auto v = ch.recv()) got.push_back(v->value);
  };
  auto try_recv = [](ch_t& ch, std::vector<int>& got) {
    if (auto v = ch.try_recv()) got.push_back(v->value);
  };
  auto by_select = [](ch_t& ch, std::vector<int>& got) {
    (void)jmpco::select(jmpco::recv_case(ch, [&](jmpco::result<fragile>&& v) {
      if (v) got.push_back(v->value);
    }));
  };
  for (std::size_t capacity : {0u, 1u}) {
    std::vector<int> want;
    for (int i = 1; i <= static_cast<int>(capacity) + 1; ++i) want.push_back(i);
    for (int nth = 1; nth <= 4; ++nth) {
      SCOPED_TRACE("capacity " + std::to_string(capacity) + ", move " + std::to_string(nth));
      EXPECT_EQ(jmpco_test::received_around_a_throwing_move<ch_t>(capacity, nth, recv), want);
      EXPECT_EQ(jmpco_test::received_around_a_throwing_move<ch_t>(capacity, nth, try_recv), want);
      EXPECT_EQ(jmpco_test::received_around_a_throwing_move<ch_t>(capacity, nth, by_select), want);
    }
  }
  EXPECT_EQ(fragile::live, 0);
  EXPECT_EQ(fragile::dead_uses, 0);
}

TEST(SharedChannel, EveryAllocationFailingInTurnLeavesNothingBehind) {
  jmpco_test::each_allocation_failing run(shared_program, 500);
  EXPECT_EQ(run.leaking_runs, 0);
  EXPECT_GT(run.runs, 5);
  EXPECT_LT(run.runs, 500);
}

}  // namespace

#endif  // JMPCO_THREADS
