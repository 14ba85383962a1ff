// SPDX-License-Identifier: MIT
// Coroutines belong to the thread that first ran them; threads run their own coroutines at once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

using sig = int(int);
using yielder = jmpco::yielder<sig>;

int accumulate(yielder& y, int total) {
  for (;;) {
    int step = y.yield(total);
    if (step == 0) return total;
    total += step;
  }
}

// Round robin over `count` coroutines for `rounds` rounds; returns the number of wrong answers.
int round_robin(int count, int rounds) {
  std::vector<jmpco::coroutine<sig>> all;
  for (int i = 0; i < count; ++i) all.emplace_back(&accumulate);
  int wrong = 0;
  for (int i = 0; i < count; ++i) wrong += all[i].resume(i).value() != i;
  for (int r = 1; r <= rounds; ++r)
    for (int i = 0; i < count; ++i) wrong += all[i].resume(1).value() != i + r;
  for (int i = 0; i < count; ++i) wrong += all[i].resume(0).value() != i + rounds;
  return wrong;
}

TEST(Threads, TwoThreadsRunTheirOwnCoroutinesAtTheSameTime) {
  std::atomic<int> wrong{0};
  std::atomic<int> ready{0};
  auto worker = [&] {
    ++ready;
    while (ready.load() < 2) {
    }
    wrong += round_robin(500, 40);
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Threads, ResumingFromAnotherThreadIsRefused) {
  jmpco::coroutine<sig> co(&accumulate);
  ASSERT_EQ(co.resume(1).value(), 1);  // now owned by this thread
  jmpco::errc from_other = jmpco::errc::ok;
  jmpco::errc close_from_other = jmpco::errc::ok;
  std::thread([&] {
    from_other = co.resume(1).code();
    close_from_other = co.close().code();
  }).join();
  EXPECT_EQ(from_other, jmpco::errc::wrong_thread);
  EXPECT_EQ(close_from_other, jmpco::errc::wrong_thread);
  EXPECT_EQ(co.status(), jmpco::status::suspended);
  EXPECT_EQ(co.resume(2).value(), 3);  // still intact for its owner
}

TEST(Threads, ANeverStartedCoroutineBelongsToWhoeverRunsItFirst) {
  jmpco::coroutine<sig> co(&accumulate);
  int first = 0;
  std::thread([&] {
    first = co.resume(5).value();
    (void)co.resume(0);  // finish it on the owning thread
  }).join();
  EXPECT_EQ(first, 5);
  EXPECT_EQ(co.status(), jmpco::status::dead);
}

}  // namespace
