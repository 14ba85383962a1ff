// SPDX-License-Identifier: MIT
// jmpco::select over channels (include/jmpco/scheduler.hpp), as users and misusers use it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

namespace {

using jmpco::channel;
using jmpco::default_case;
using jmpco::errc;
using jmpco::recv_case;
using jmpco::result;
using jmpco::scheduler;
using jmpco::send_case;
using jmpco_test::destroyed_flag;
using jmpco_test::throwing_move;

TEST(Select, AReadyCaseRunsAndReturnsItsPosition) {
  channel<int> empty(1);
  channel<int> full(1);
  ASSERT_TRUE(full.try_send(7).ok());
  int got = 0;
  auto which = jmpco::select(recv_case(empty, [&](result<int>) { got = -1; }),
                             recv_case(full, [&](result<int> v) { got = v.value(); }));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(*which, 1u);
  EXPECT_EQ(got, 7);
}

TEST(Select, ReadyCasesAreChosenFairly) {
  channel<int> a(1000);
  channel<int> b(1000);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(a.try_send(i).ok() && b.try_send(i).ok());
  int from_a = 0;
  int from_b = 0;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(jmpco::select(recv_case(a, [&](result<int>) { ++from_a; }),
                              recv_case(b, [&](result<int>) { ++from_b; }))
                    .ok());
  }
  EXPECT_EQ(from_a + from_b, 1000);
  EXPECT_GT(from_a, 350);  // each about half
  EXPECT_GT(from_b, 350);
}

// Go's "uniform pseudo-random selection": each ready case equally often, wherever it stands among
// cases that are not ready (a random start followed by the first ready case from there would give
// the case after two idle ones 3/4 of the wins here). 100,000 selects: each share is 1/2 within
// 0.05, more than 30 standard deviations.
TEST(Select, EachReadyCaseIsChosenEquallyOftenWhereverItStands) {
  channel<int> first(1), idle1(1), idle2(1), last(1);
  int wins[4] = {};
  const int rounds = 100000;
  for (int i = 0; i < rounds; ++i) {
    ASSERT_TRUE(first.try_send(1).ok() || first.size() == 1);
    ASSERT_TRUE(last.try_send(1).ok() || last.size() == 1);
    auto which =
        jmpco::select(recv_case(first, [](result<int>) {}), recv_case(idle1, [](result<int>) {}),
                      recv_case(idle2, [](result<int>) {}), recv_case(last, [](result<int>) {}));
    ASSERT_TRUE(which.ok());
    ++wins[*which];
  }
  EXPECT_EQ(wins[1] + wins[2], 0);
  EXPECT_NEAR(static_cast<double>(wins[0]) / rounds, 0.5, 0.05);
  EXPECT_NEAR(static_cast<double>(wins[3]) / rounds, 0.5, 0.05);
}

// Three ready cases of six, scattered, and a default: each ready case a third of the time.
TEST(Select, ThreeScatteredReadyCasesShareEvenly) {
  channel<int> ready[3] = {channel<int>(1), channel<int>(1), channel<int>(1)};
  channel<int> idle(1);
  int wins[7] = {};
  const int rounds = 90000;
  for (int i = 0; i < rounds; ++i) {
    for (auto& ch : ready) (void)ch.try_send(1);
    auto nothing = [](result<int>) {};
    auto which =
        jmpco::select(recv_case(idle, nothing), recv_case(ready[0], nothing),
                      recv_case(idle, nothing), default_case([] {}), recv_case(ready[1], nothing),
                      recv_case(idle, nothing), recv_case(ready[2], nothing));
    ASSERT_TRUE(which.ok());
    ++wins[*which];
  }
  for (std::size_t i : {1u, 4u, 6u})
    EXPECT_NEAR(static_cast<double>(wins[i]) / rounds, 1.0 / 3, 0.05);
}

TEST(Select, TheDefaultRunsOnlyWhenNoCaseIsReady) {
  channel<int> ch(1);
  bool idle = false;
  auto which =
      jmpco::select(recv_case(ch, [](result<int>) { FAIL(); }), default_case([&] { idle = true; }));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(*which, 1u);
  EXPECT_TRUE(idle);
  ASSERT_TRUE(ch.try_send(1).ok());
  which = jmpco::select(default_case([] { FAIL(); }), recv_case(ch, [](result<int>) {}));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(*which, 1u);
}

TEST(Select, ASendCaseSendsWhenAReceiverWaits) {
  scheduler s;
  channel<std::string> ch(0);
  auto receiver = s.spawn([&] { return ch.recv().value(); });
  EXPECT_EQ(s.run_once(), 1u);
  bool sent = false;
  auto which =
      jmpco::select(send_case(ch, "hello", [&] { sent = true; }), default_case([] { FAIL(); }));
  ASSERT_TRUE(which.ok());
  EXPECT_TRUE(sent);
  EXPECT_EQ(receiver.join().value(), "hello");
}

TEST(Select, AWaitingSelectTakesTheFirstReadyCaseAndWithdrawsTheOthers) {
  scheduler s;
  channel<int> a(0);
  channel<int> b(0);
  channel<int> out(0);
  std::string trace;
  auto selecting = s.spawn([&] {
    return jmpco::select(recv_case(a, [&](result<int> v) { trace += "a" + std::to_string(*v); }),
                         recv_case(b, [&](result<int> v) { trace += "b" + std::to_string(*v); }),
                         send_case(out, 9, [&] { trace += "out"; }))
        .value();
  });
  EXPECT_EQ(s.run_once(), 1u);  // parked on all three
  EXPECT_FALSE(selecting.done());
  EXPECT_TRUE(b.try_send(5).ok());  // b's waiting receiver takes it
  // The others were withdrawn at once: nobody waits on a or out any more.
  EXPECT_EQ(a.try_send(1).code(), errc::would_block);
  EXPECT_EQ(out.try_recv().code(), errc::would_block);
  EXPECT_EQ(selecting.join().value(), 1u);
  EXPECT_EQ(trace, "b5");
}

TEST(Select, AWaitingSendCaseHandsItsValueToALaterReceiver) {
  scheduler s;
  channel<int> never(0);
  channel<int> out(0);
  auto selecting = s.spawn([&] {
    return jmpco::select(recv_case(never, [](result<int>) {}), send_case(out, 42)).value();
  });
  EXPECT_EQ(s.run_once(), 1u);
  auto got = out.try_recv();  // the parked send case is a waiting sender
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 42);
  EXPECT_EQ(selecting.join().value(), 1u);
}

TEST(Select, ClosedChannelsMakeReceivesReadyAndSendsAnError) {
  channel<int> closed(0);
  ASSERT_TRUE(closed.close().ok());
  errc seen = errc::ok;
  auto which = jmpco::select(recv_case(closed, [&](result<int> v) { seen = v.code(); }));
  ASSERT_TRUE(which.ok());
  EXPECT_EQ(seen, errc::channel_closed);
  bool sent = false;
  EXPECT_EQ(jmpco::select(send_case(closed, 1, [&] { sent = true; })).code(), errc::channel_closed);
  EXPECT_FALSE(sent);
}

TEST(Select, CloseWakesAParkedSelect) {
  scheduler s;
  channel<int> in(0);
  channel<int> out(0);
  errc recv_seen = errc::ok;
  auto receiving = s.spawn([&] {
    return jmpco::select(recv_case(in, [&](result<int> v) { recv_seen = v.code(); })).value();
  });
  auto sending = s.spawn([&] { return jmpco::select(send_case(out, 1)).code(); });
  EXPECT_EQ(s.run_once(), 2u);
  ASSERT_TRUE(in.close().ok());
  ASSERT_TRUE(out.close().ok());
  EXPECT_EQ(receiving.join().value(), 0u);
  EXPECT_EQ(recv_seen, errc::channel_closed);
  EXPECT_EQ(sending.join().value(), errc::channel_closed);
}

TEST(Select, TwoTasksPingPongThroughSelects) {
  scheduler s;
  channel<int> ping(0);
  channel<int> pong(0);
  channel<int> quit(0);
  auto player = s.spawn([&] {
    int hits = 0;
    for (bool done = false; !done;) {
      auto which = jmpco::select(recv_case(ping, [&](result<int> v) { hits += *v; }),
                                 recv_case(quit, [&](result<int>) { done = true; }));
      if (!which) return -1;
      if (!done && !pong.send(1)) return -2;
    }
    return hits;
  });
  auto driver = s.spawn([&] {
    for (int i = 0; i < 100; ++i) {
      if (!ping.send(1) || !pong.recv()) return false;
    }
    return quit.close().ok();
  });
  EXPECT_TRUE(driver.join().value());
  EXPECT_EQ(player.join().value(), 100);
}

TEST(Select, OutsideATaskASelectThatWouldWaitIsAnError) {
  channel<int> ch(0);
  EXPECT_EQ(jmpco::select(recv_case(ch, [](result<int>) {})).code(), errc::outside_task);
  EXPECT_EQ(ch.try_send(1).code(), errc::would_block);  // no waiter was left behind
}

TEST(Select, ABrokenChannelIsOutOfMemory) {
  channel<int> huge(static_cast<std::size_t>(-1));
  channel<int> fine(1);
  ASSERT_TRUE(fine.try_send(1).ok());
  EXPECT_EQ(jmpco::select(recv_case(huge, [](result<int>) {}), recv_case(fine, [](result<int>) {}))
                .code(),
            errc::out_of_memory);
}

TEST(Select, KillingAParkedSelectWithdrawsEveryWait) {
  scheduler s;
  channel<int> a(0);
  channel<std::string> b(0);
  bool unwound = false;
  auto selecting = s.spawn([&] {
    destroyed_flag flag{&unwound};
    return jmpco::select(recv_case(a, [](result<int>) {}),
                         send_case(b, std::string(100, 'x')))  // a heap value in the waiter
        .code();
  });
  EXPECT_EQ(s.run_once(), 1u);
  ASSERT_TRUE(selecting.kill().ok());
  EXPECT_TRUE(unwound);
  EXPECT_EQ(selecting.join().code(), errc::killed);
  EXPECT_EQ(a.try_send(1).code(), errc::would_block);
  EXPECT_EQ(b.try_recv().code(), errc::would_block);
}

TEST(Select, ACallbackMayKillJoinAndDestroyWhatTheSelectUsed) {
  scheduler s;
  auto a = std::make_unique<channel<int>>(0);
  auto b = std::make_unique<channel<int>>(0);
  auto sleeper = s.spawn([&] { return b->recv().code(); });  // waits on b
  auto helper = s.spawn([] { return 5; });
  auto selecting = s.spawn([&] {
    int joined = 0;
    auto which = jmpco::select(recv_case(*a, [&](result<int>) {
      (void)sleeper.kill();
      joined = helper.join().value();
      a.reset();  // the channel this case came from
      b.reset();
    }));
    return which.ok() ? joined : -1;
  });
  auto sender = s.spawn([&] { return a->send(1).ok(); });
  EXPECT_EQ(selecting.join().value(), 5);
  EXPECT_TRUE(sender.join().value());
  EXPECT_EQ(sleeper.join().code(), errc::killed);
  EXPECT_FALSE(a);
  EXPECT_FALSE(b);
}

TEST(Select, ACallbackMayDestroyTheTaskHandleOfItsOwnTask) {
  scheduler s;
  channel<int> ch(1);
  ASSERT_TRUE(ch.try_send(1).ok());
  auto handle = std::make_unique<jmpco::task<void>>();
  bool ran = false;
  *handle = s.spawn([&] {
    (void)jmpco::select(recv_case(ch, [&](result<int>) {
      handle.reset();  // detaches this very task
      ran = true;
    }));
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_TRUE(ran);
  EXPECT_FALSE(handle);
}

TEST(Select, AValueWhoseMoveThrowsFailsOnlyThatSelect) {
  scheduler s;
  channel<throwing_move> ch(0);
  channel<int> other(0);
  // Parking copies the send case's value into its waiter: the throw leaves no waiter behind.
  auto selecting = s.spawn([&] {
    throwing_move v(1, false);
    auto c = send_case(ch, v);
    c.value.throw_on_move = true;
    try {
      (void)jmpco::select(recv_case(other, [](result<int>) {}), std::move(c));
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  });
  EXPECT_TRUE(selecting.join().value());
  EXPECT_EQ(other.try_send(1).code(), errc::would_block);
  EXPECT_EQ(ch.try_recv().code(), errc::would_block);
}

// Moves until a shared countdown reaches zero, then throws.
int moves_left = 0;
struct countdown_move {
  int value;
  explicit countdown_move(int v) : value(v) {}
  countdown_move(const countdown_move&) = default;
  countdown_move& operator=(const countdown_move&) = default;
  countdown_move(countdown_move&& other) : value(other.value) {
    if (moves_left-- == 0) throw std::runtime_error("move failed");
  }
  countdown_move& operator=(countdown_move&&) = default;
};

TEST(Select, AReceivedValueWhoseMoveThrowsFailsTheSelectAndFreesItsWaits) {
  scheduler s;
  channel<countdown_move> ch(0);
  channel<int> other(0);
  auto receiving = s.spawn([&] {
    try {
      (void)jmpco::select(recv_case(ch, [](result<countdown_move>) {}),
                          recv_case(other, [](result<int>) {}));
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  });
  EXPECT_EQ(s.run_once(), 1u);  // parked on both
  moves_left = 1;               // into the waiter, then the move out of it throws
  countdown_move v(3);
  ASSERT_TRUE(ch.try_send(v).ok());
  EXPECT_TRUE(receiving.join().value());
  EXPECT_EQ(other.try_send(1).code(), errc::would_block);  // the other wait went with it
  moves_left = 1000;
}

// A select's receive case whose copy of the value throws leaves the value in the channel (its
// sender parked with it, or the buffer as it was); the refill from a parked sender is the
// sender's. The callback takes its result<T> by reference: the select moves nothing more.
TEST(Select, AReceiveCaseWhoseMoveThrowsLeavesTheValueInTheChannel) {
  using jmpco_test::fragile;
  auto by_select = [](channel<fragile>& ch, std::vector<int>& got) {
    (void)jmpco::select(recv_case(ch, [&](result<fragile>&& v) {
      if (v) got.push_back(v->value);
    }));
  };
  for (std::size_t capacity : {0u, 1u, 3u}) {
    std::vector<int> want;
    for (int i = 1; i <= static_cast<int>(capacity) + 1; ++i) want.push_back(i);
    for (int nth = 1; nth <= 4; ++nth) {
      SCOPED_TRACE("capacity " + std::to_string(capacity) + ", move " + std::to_string(nth));
      EXPECT_EQ(
          jmpco_test::received_around_a_throwing_move<channel<fragile>>(capacity, nth, by_select),
          want);
    }
  }
  EXPECT_EQ(fragile::live, 0);
  EXPECT_EQ(fragile::dead_uses, 0);
}

// A select woken to look again (a value's move into its case threw) has not run yet when the
// channel is destroyed: it must not look at that channel again. Its case runs as closed.
TEST(Select, AChannelDestroyedWhileASelectIsWokenToLookAgainRunsThatCaseAsClosed) {
  scheduler s;
  auto ch = std::make_unique<channel<throwing_move>>(0);
  channel<int> other(0);
  std::string got;
  auto selecting = s.spawn([&] {
    auto which = jmpco::select(
        recv_case(*ch,
                  [&](result<throwing_move> v) { got = v ? "a value" : jmpco::message(v.code()); }),
        recv_case(other, [&](result<int>) { got = "other"; }));
    return which ? static_cast<int>(*which) : -1;
  });
  auto sending = s.spawn([&] {
    bool threw = false;
    try {
      (void)ch->send(throwing_move(1, true));  // claims the select's case; the move throws
    } catch (const std::runtime_error&) {
      threw = true;
    }
    ch.reset();  // the select is woken, not yet run
    return threw;
  });
  EXPECT_EQ(selecting.join().value(), 0);
  EXPECT_EQ(got, jmpco::message(errc::channel_closed));
  EXPECT_TRUE(sending.join().value());
  EXPECT_EQ(other.try_send(1).code(), errc::would_block);  // its other wait went with it
}

// The same for a plain sender woken to offer its value again (the refill of the buffer from it
// threw): the channel is destroyed before it runs, and its send reports the close.
TEST(Select, AChannelDestroyedWhileASenderIsWokenToOfferAgainReportsTheClose) {
  using jmpco_test::fragile;
  {
    scheduler s;
    auto ch = std::make_unique<channel<fragile>>(1);
    ASSERT_TRUE(ch->try_send(fragile(1)).ok());  // the buffer is full
    auto sending = s.spawn([&] { return ch->send(fragile(2)).code(); });
    EXPECT_EQ(s.run_once(), 1u);     // parked, its value moved into its waiter
    fragile::moves_until_throw = 2;  // the receiver's copy, then the refill from the sender
    auto receiving = s.spawn([&] {
      auto v = ch->recv();
      ch.reset();  // the sender is woken to offer again, not yet run
      return v ? v->value : -1;
    });
    EXPECT_EQ(receiving.join().value(), 1);
    EXPECT_EQ(sending.join().value(), errc::channel_closed);
  }
  fragile::moves_until_throw = 0;
  EXPECT_EQ(fragile::live, 0);
  EXPECT_EQ(fragile::dead_uses, 0);
}

// ---- every allocation failing in turn ----------------------------------------------------------

void selecting_program() {
  scheduler s;
  channel<int> a(0);
  channel<int> b(1);
  auto chooser = s.spawn([&] {
    int sum = 0;
    for (int i = 0; i < 4; ++i) {
      auto which = jmpco::select(recv_case(a, [&](result<int> v) { sum += v.ok() ? *v : 0; }),
                                 send_case(b, i));
      if (!which) return which.code() == errc::out_of_memory ? -1 : -2;
    }
    return sum;
  });
  auto feeder = s.spawn([&] {
    for (int i = 0; i < 2; ++i) {
      if (!a.send(10)) return false;
      if (!b.recv()) return false;
    }
    return true;
  });
  auto c = chooser.join();
  auto f = feeder.join();
  for (errc e : {c.code(), f.code()}) {
    EXPECT_TRUE(e == errc::ok || e == errc::out_of_memory || e == errc::empty_handle ||
                e == errc::deadlock)
        << jmpco::message(e);
  }
  if (c.ok()) {
    EXPECT_NE(*c, -2);
  }
}

TEST(Select, EveryAllocationFailingInTurnLeavesNothingBehind) {
  jmpco_test::each_allocation_failing run(selecting_program, 500);
  EXPECT_EQ(run.leaking_runs, 0);
  EXPECT_GT(run.runs, 5);
  EXPECT_LT(run.runs, 500);
}

}  // namespace
