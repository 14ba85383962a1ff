// SPDX-License-Identifier: MIT
// Channel values whose move constructor or destructor meddles: waits, runs the scheduler, kills a
// task or comes back into a channel while the channel is moving or destroying the value. The
// channel is half-changed then (a slot being filled, a waiter claimed), so all of that is refused
// with errc::inside_value_move (include/jmpco/scheduler.hpp, value_move_scope), and the channel
// goes on whole: no value lost, swapped or duplicated, no task left waiting for good.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

using jmpco::channel;
using jmpco::errc;
using jmpco::scheduler;

// What the meddling values do, set by each test (the fixture clears it).
std::function<void()> on_move;
std::function<void()> on_destroy;

// A channel value that calls on_move in its move constructor, and on_destroy when an object that
// still holds its payload is destroyed.
struct meddler {
  int payload;
  explicit meddler(int p) : payload(p) {}
  meddler(meddler&& other) noexcept(false) : payload(std::exchange(other.payload, -1)) {
    if (on_move) on_move();
  }
  meddler& operator=(meddler&&) = delete;
  ~meddler() {
    if (payload != -1 && on_destroy) on_destroy();
  }
};

class ValueMove : public ::testing::Test {
 protected:
  void TearDown() override {
    on_move = nullptr;
    on_destroy = nullptr;
  }
};

// What a meddling hook's operations returned, by code.
struct refusals {
  std::map<errc, int> codes;
  void note(errc e) { ++codes[e]; }
  int of(errc e) const {
    auto at = codes.find(e);
    return at == codes.end() ? 0 : at->second;
  }
};

TEST_F(ValueMove, AYieldInAValuesMoveIsRefusedAndNoValueIsLostOrSwapped) {
  for (std::size_t capacity : {0u, 1u, 3u}) {
    SCOPED_TRACE("capacity " + std::to_string(capacity));
    scheduler s;
    channel<meddler> ch(capacity);
    refusals seen;
    on_move = [&] { seen.note(jmpco::this_task::yield().code()); };
    std::vector<int> got;
    for (int sender = 0; sender < 3; ++sender) {
      s.spawn([&ch, sender] {
         for (int i = 0; i < 5; ++i) EXPECT_TRUE(ch.send(meddler(sender * 100 + i)).ok());
       }).detach();
    }
    s.spawn([&] {
       for (int i = 0; i < 15; ++i) {
         auto r = ch.recv();
         ASSERT_TRUE(r.ok()) << r.error().what();
         got.push_back(r->payload);
       }
     }).detach();
    ASSERT_TRUE(s.run().ok());
    ASSERT_EQ(got.size(), 15u);
    std::map<int, int> next_of_sender;
    for (int v : got) {  // each sender's values arrive once each, in its order
      EXPECT_EQ(v % 100, next_of_sender[v / 100]++) << v;
    }
    EXPECT_GT(seen.of(errc::inside_value_move), 0);
  }
}

TEST_F(ValueMove, AMoveThatComesBackIntoItsChannelIsRefusedAndLeavesItWhole) {
  channel<meddler> ch(2);
  refusals seen;
  on_move = [&] {
    seen.note(ch.try_send(meddler(7)).code());  // the argument's own move is inside as well
    seen.note(ch.try_recv().code());
    seen.note(ch.close().code());
  };
  ASSERT_TRUE(ch.try_send(meddler(1)).ok());
  EXPECT_EQ(seen.of(errc::inside_value_move), 3);
  EXPECT_EQ(ch.size(), 1u);
  EXPECT_FALSE(ch.closed());
  on_move = nullptr;
  auto r = ch.try_recv();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload, 1);
  EXPECT_EQ(ch.try_recv().code(), errc::would_block);
}

TEST_F(ValueMove, AMoveThatRunsTheSchedulerOrKillsATaskIsRefused) {
  scheduler s;
  bool ran = false;
  auto victim = s.spawn([&] { ran = true; });
  channel<meddler> ch(1);
  refusals seen;
  std::size_t stepped = 99;
  on_move = [&] {
    seen.note(s.run().code());
    stepped = s.run_once();
    seen.note(victim.kill().code());
  };
  ASSERT_TRUE(ch.try_send(meddler(1)).ok());
  EXPECT_EQ(seen.of(errc::inside_value_move), 2);
  EXPECT_EQ(stepped, 0u);
  EXPECT_FALSE(ran);
  on_move = nullptr;
  ASSERT_TRUE(s.run().ok());
  EXPECT_TRUE(ran);
  EXPECT_TRUE(victim.join().ok());
}

TEST_F(ValueMove, AValueDestroyedWithItsChannelMayNotSendButMayDestroyAnotherChannel) {
  scheduler s;
  channel<int> elsewhere(4);
  auto inner = std::make_unique<channel<meddler>>(2);
  ASSERT_TRUE(inner->try_send(meddler(1)).ok());
  ASSERT_TRUE(inner->try_send(meddler(2)).ok());
  refusals seen;
  int destroyed = 0;
  on_destroy = [&] {
    ++destroyed;
    seen.note(elsewhere.try_send(destroyed).code());
    inner.reset();  // the first value's destructor destroys the other channel, with its values
  };
  {
    channel<meddler> outer(1);
    ASSERT_TRUE(outer.try_send(meddler(3)).ok());
  }
  EXPECT_EQ(destroyed, 3);  // outer's value, then inner's two inside its destructor
  EXPECT_EQ(seen.of(errc::inside_value_move), 3);
  EXPECT_EQ(elsewhere.size(), 0u);
  // Every scope is left: the thread may wait and send again.
  on_destroy = nullptr;
  bool yielded = false;
  s.spawn([&] {
     yielded = jmpco::this_task::yield().ok();
     EXPECT_TRUE(elsewhere.try_send(1).ok());
   }).detach();
  ASSERT_TRUE(s.run().ok());
  EXPECT_TRUE(yielded);
}

TEST_F(ValueMove, AMoveThatThrowsAfterARefusalLeavesTheTaskFreeToWait) {
  scheduler s;
  channel<meddler> ch(1);
  refusals seen;
  on_move = [&] {
    seen.note(jmpco::this_task::yield().code());
    throw std::runtime_error("move failed");
  };
  bool threw = false;
  bool waited_after = false;
  s.spawn([&] {
     try {
       (void)ch.send(meddler(1));
     } catch (const std::runtime_error&) {
       threw = true;
     }
     on_move = nullptr;
     waited_after = jmpco::this_task::yield().ok();
   }).detach();
  ASSERT_TRUE(s.run().ok());
  EXPECT_TRUE(threw);
  EXPECT_EQ(seen.of(errc::inside_value_move), 1);
  EXPECT_TRUE(waited_after);
  EXPECT_EQ(ch.size(), 0u);
}

TEST_F(ValueMove, ASelectsReceivedValueMayNotWaitInItsMove) {
  scheduler s;
  channel<meddler> ch(1);
  ASSERT_TRUE(ch.try_send(meddler(5)).ok());
  refusals seen;
  on_move = [&] { seen.note(jmpco::this_task::yield().code()); };
  int received = 0;
  s.spawn([&] {
     auto which = jmpco::select(jmpco::recv_case(ch, [&](jmpco::result<meddler>&& r) {
       if (r) received = r->payload;
     }));
     EXPECT_TRUE(which.ok());
   }).detach();
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(received, 5);
  EXPECT_GT(seen.of(errc::inside_value_move), 0);
}

#if JMPCO_THREADS
TEST_F(ValueMove, ASharedChannelsValueMayNotComeBackIntoItsChannel) {
  // Its lock is held while the value moves: coming back in would lock it twice.
  jmpco::shared_channel<meddler> ch(2);
  refusals seen;
  on_move = [&] {
    seen.note(ch.try_send(meddler(7)).code());
    seen.note(ch.try_recv().code());
    seen.note(ch.close().code());
  };
  ASSERT_TRUE(ch.try_send(meddler(1)).ok());
  EXPECT_EQ(seen.of(errc::inside_value_move), 3);
  on_move = nullptr;
  auto r = ch.try_recv();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload, 1);
}
#endif

}  // namespace
