// SPDX-License-Identifier: MIT
// The scheduler's waits (include/jmpco/scheduler.hpp, lib/scheduler_wait*.cpp): interrupt() from
// other threads and signal handlers, and waiting for file descriptors inside tasks.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "jmpco/jmpco.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#include <signal.h>
#endif

namespace {

using jmpco::errc;
using jmpco::scheduler;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

long allocations = 0;
long live_blocks = 0;
long fail_at = 0;  // the allocation that fails (1-based); 0: none

void* counting_allocate(std::size_t size, void*) {
  if (++allocations == fail_at) return nullptr;
  ++live_blocks;
  return std::malloc(size);
}
void counting_deallocate(void* block, std::size_t, void*) {
  --live_blocks;
  std::free(block);
}

// Counts the allocations of `program` (after a warm-up run with the default allocator), with
// allocation number `fail` failing (0: none). Returns how many it asked for.
template <class F>
long count_allocations(F program, long fail = 0) {
  program();
  jmpco::set_allocator({counting_allocate, counting_deallocate, nullptr});
  allocations = 0;
  live_blocks = 0;
  fail_at = fail;
  program();
  jmpco::set_allocator({});
  EXPECT_EQ(live_blocks, 0) << "failing allocation " << fail;
  return allocations;
}

// ---- interrupt ----------------------------------------------------------------------------------

TEST(SchedulerInterrupt, AnotherThreadEndsAWaitForALongTimer) {
  scheduler s;
  auto sleeper = s.spawn([] { return jmpco::this_task::sleep_for(1h); });
  EXPECT_EQ(s.run_once(), 1u);  // now asleep for the hour
  const auto start = steady::now();
  std::thread other([&] {
    std::this_thread::sleep_for(30ms);
    s.interrupt();
  });
  EXPECT_EQ(s.run_once(1h), 0u);  // woken early, nothing to run
  other.join();
  EXPECT_LT(steady::now() - start, 1min);
  EXPECT_EQ(s.live_tasks(), 1u);
  EXPECT_TRUE(sleeper.kill().ok());
}

TEST(SchedulerInterrupt, RunOnceWithATimeoutWaitsForTheTimeoutOrTheNextSleeper) {
  scheduler s;
  auto start = steady::now();
  EXPECT_EQ(s.run_once(5ms), 0u);  // nothing at all: it waits out the timeout
  EXPECT_GE(steady::now() - start, 5ms);
  auto sleeper = s.spawn([] { return jmpco::this_task::sleep_for(10ms); });
  EXPECT_EQ(s.run_once(1h), 1u);  // a task was ready: no wait
  start = steady::now();
  while (!sleeper.done()) (void)s.run_once(1h);  // the sleeper's deadline ends the wait
  EXPECT_LT(steady::now() - start, 1min);
  EXPECT_TRUE(sleeper.join().ok());
}

TEST(SchedulerInterrupt, AnInterruptWhileNotWaitingEndsTheNextWaitOnce) {
  scheduler s;
  s.interrupt();  // nothing waits: no event_wait exists yet, the flag alone remembers it
  int rounds = 0;
  auto t = s.spawn([&] {
    ++rounds;
    return jmpco::this_task::sleep_for(20ms);
  });
  const auto start = steady::now();
  EXPECT_TRUE(t.join().ok());
  EXPECT_GE(steady::now() - start, 20ms);  // the interrupt cut one wait short, not the sleep
  EXPECT_EQ(rounds, 1);
}

TEST(SchedulerInterrupt, ManyInterruptsFromManyThreadsLoseNoWakeup) {
  scheduler s;
  std::atomic<int> done{0};
  constexpr int threads = 4;
  auto t = s.spawn([&] {
    // Sleeps in short steps until the threads are done; each interrupt only shortens a wait.
    while (done.load() < threads) (void)jmpco::this_task::sleep_for(1ms);
  });
  std::thread pool[threads];
  for (auto& th : pool) {
    th = std::thread([&] {
      for (int i = 0; i < 2000; ++i) s.interrupt();
      ++done;
    });
  }
  EXPECT_TRUE(t.join().ok());
  for (auto& th : pool) th.join();
}

scheduler* signalled_scheduler = nullptr;
extern "C" void interrupt_from_signal(int) { signalled_scheduler->interrupt(); }

TEST(SchedulerInterrupt, ASignalHandlerMayInterrupt) {
#if defined(__unix__) || defined(__APPLE__)
  scheduler s;
  signalled_scheduler = &s;
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = interrupt_from_signal;
  action.sa_flags = SA_RESTART;  // so that only the interrupt, not EINTR, can end the wait
  ASSERT_EQ(sigaction(SIGUSR1, &action, &previous), 0);
  // Not waiting: the handler leaves the flag set, and the next wait ends at once.
  std::raise(SIGUSR1);
  auto start = steady::now();
  EXPECT_EQ(s.run_once(1h), 0u);
  EXPECT_LT(steady::now() - start, 1min);
  // Waiting: a signal to this thread from another ends the wait.
  const pthread_t waiting = pthread_self();
  std::thread other([&] {
    std::this_thread::sleep_for(30ms);
    pthread_kill(waiting, SIGUSR1);
  });
  start = steady::now();
  EXPECT_EQ(s.run_once(1h), 0u);
  EXPECT_LT(steady::now() - start, 1min);
  other.join();
  sigaction(SIGUSR1, &previous, nullptr);
  signalled_scheduler = nullptr;
#else
  GTEST_SKIP() << "no POSIX signals here";
#endif
}

TEST(SchedulerInterrupt, ASchedulerThatNeverBlocksAllocatesNoWait) {
  auto program = [] {
    scheduler s;
    s.interrupt();
    auto t = s.spawn([] { return jmpco::this_task::yield(); });
    EXPECT_TRUE(t.join().ok());
  };
  auto sleeping = [] {
    scheduler s;
    auto t = s.spawn([] { return jmpco::this_task::sleep_for(1ms); });
    EXPECT_TRUE(t.join().ok());
  };
  // The sleeping one blocks once: its event_wait is its one allocation more.
  EXPECT_EQ(count_allocations(sleeping), count_allocations(program) + 1);
}

TEST(SchedulerInterrupt, NoMemoryForTheWaitStillSleepsAndInterrupts) {
  // Each allocation of a sleeping program failing in turn: the one for the event_wait falls back
  // to short naps, which still wake at the deadline and on interrupt().
  auto sleeping = [] {
    scheduler s;
    auto t = s.spawn([&s] {
      s.interrupt();
      return jmpco::this_task::sleep_for(2ms);
    });
    auto r = t.join();
    EXPECT_TRUE(r.ok() || r.code() == errc::out_of_memory || r.code() == errc::empty_handle)
        << r.error().what();
  };
  const long total = count_allocations(sleeping);
  for (long k = 1; k <= total; ++k) count_allocations(sleeping, k);
}

}  // namespace
