// SPDX-License-Identifier: MIT
// The scheduler's waits (include/jmpco/scheduler.hpp, lib/scheduler_wait*.cpp): interrupt() from
// other threads and signal handlers, and waiting for file descriptors inside tasks.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <thread>

#include "jmpco/jmpco.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>
#define JMPCO_TEST_FDS 1

#include "echo.hpp"  // examples/
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
  EXPECT_TRUE(sleeper.join().value().ok());
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
  EXPECT_TRUE(t.join().value().ok());
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

#if defined(__unix__) || defined(__APPLE__)
scheduler* signalled_scheduler = nullptr;
extern "C" void interrupt_from_signal(int) { signalled_scheduler->interrupt(); }
#endif

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
  auto program = [](bool interrupt, bool sleep) {
    return [=] {
      scheduler s;
      if (interrupt) s.interrupt();
      auto t = s.spawn(
          [=] { return sleep ? jmpco::this_task::sleep_for(1ms) : jmpco::this_task::yield(); });
      EXPECT_TRUE(t.join().value().ok());
    };
  };
  const long plain = count_allocations(program(false, false));
  EXPECT_EQ(count_allocations(program(true, false)), plain);  // interrupt() allocates nothing
  EXPECT_GT(count_allocations(program(false, true)), plain);  // blocking makes the wait
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
    const errc got = r ? r->code() : r.code();
    EXPECT_TRUE(got == errc::ok || got == errc::out_of_memory || got == errc::empty_handle)
        << jmpco::message(got);
  };
  const long total = count_allocations(sleeping);
  for (long k = 1; k <= total; ++k) count_allocations(sleeping, k);
}

// ---- waiting for file descriptors ---------------------------------------------------------------

#if JMPCO_TEST_FDS

using jmpco::fd_event;
using jmpco::this_task::wait_readable;
using jmpco::this_task::wait_writable;

// Sets a flag when destroyed: shows that a killed task's stack was unwound.
struct destroyed_flag {
  bool* flag;
  ~destroyed_flag() { *flag = true; }
};

// Two connected, non-blocking stream sockets, closed with the pair.
struct socket_pair {
  int ends[2] = {-1, -1};
  socket_pair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
    for (int fd : ends) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  socket_pair(const socket_pair&) = delete;
  socket_pair& operator=(const socket_pair&) = delete;
  ~socket_pair() {
    for (int fd : ends)
      if (fd >= 0) ::close(fd);
  }
  int a() const { return ends[0]; }
  int b() const { return ends[1]; }
};

std::size_t watched(const scheduler& s) { return s.watched_fds(nullptr, 0); }

TEST(SchedulerFd, ATaskWaitsUntilItsSocketIsReadable) {
  scheduler s;
  socket_pair p;
  std::string got;
  auto reader = s.spawn([&] {
    auto r = wait_readable(p.a());
    if (!r) return r.code();
    char buffer[16];
    const ssize_t n = ::read(p.a(), buffer, sizeof buffer);
    got.assign(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    return errc::ok;
  });
  EXPECT_EQ(s.run_once(), 1u);  // the reader now waits
  EXPECT_EQ(s.live_tasks(), 1u);
  jmpco::fd_interest seen[2];
  ASSERT_EQ(s.watched_fds(seen, 2), 1u);
  EXPECT_EQ(seen[0].fd, p.a());
  EXPECT_EQ(seen[0].events, fd_event::readable);
  EXPECT_EQ(s.run_once(0ms), 0u);  // nothing came
  ASSERT_EQ(::write(p.b(), "ping", 4), 4);
  EXPECT_EQ(reader.join().value(), errc::ok);
  EXPECT_EQ(got, "ping");
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, AReaderAndAWriterShareOneSocket) {
  scheduler s;
  socket_pair p;
  auto reader = s.spawn([&] { return wait_readable(p.a()); });
  auto writer = s.spawn([&] {
    auto r = jmpco::this_task::wait_fd(p.a(), fd_event::writable);
    EXPECT_TRUE(r.ok());
    return r ? *r : fd_event::both;
  });
  auto pinger = s.spawn([&] {
    (void)jmpco::this_task::sleep_for(2ms);
    return ::write(p.b(), "x", 1);
  });
  EXPECT_EQ(writer.join().value(), fd_event::writable);  // a fresh socket has room at once
  EXPECT_TRUE(reader.join().value().ok());
  EXPECT_EQ(pinger.join().value(), 1);
}

TEST(SchedulerFd, ATimeoutEndsTheWaitAndLeavesNothingWatched) {
  scheduler s;
  socket_pair p;
  auto t = s.spawn([&] { return wait_readable(p.a(), 5ms); });
  const auto start = steady::now();
  EXPECT_EQ(t.join().value().code(), errc::timed_out);
  EXPECT_GE(steady::now() - start, 5ms);
  EXPECT_EQ(watched(s), 0u);
  EXPECT_FALSE(s.next_deadline().has_value());
  // A zero timeout: readable at once, or timed out at once.
  auto now = s.spawn([&] { return wait_writable(p.a(), 0ms); });
  EXPECT_TRUE(now.join().value().ok());
}

TEST(SchedulerFd, ATaskKilledWhileWaitingUnwindsAndStopsWatching) {
  scheduler s;
  socket_pair p;
  bool unwound = false;
  auto t = s.spawn([&] {
    destroyed_flag flag{&unwound};
    return wait_readable(p.a(), 1h);
  });
  auto other = s.spawn([&] { return wait_readable(p.a()); });
  EXPECT_EQ(s.run_once(), 2u);
  EXPECT_EQ(watched(s), 1u);
  EXPECT_TRUE(t.kill().ok());
  EXPECT_TRUE(unwound);
  EXPECT_EQ(t.join().code(), errc::killed);
  EXPECT_FALSE(s.next_deadline().has_value());  // its timeout is gone too
  EXPECT_EQ(watched(s), 1u);                    // the other task still waits
  ASSERT_EQ(::write(p.b(), "x", 1), 1);
  EXPECT_TRUE(other.join().value().ok());
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, ReleaseFdEndsEveryWaitOnItWithFdClosed) {
  scheduler s;
  socket_pair p;
  auto r1 = s.spawn([&] { return wait_readable(p.a()); });
  auto r2 = s.spawn([&] { return wait_readable(p.a(), 1h); });
  auto closer = s.spawn([&] {
    EXPECT_EQ(s.release_fd(p.a()), 2u);
    ::close(p.ends[0]);
    p.ends[0] = -1;
  });
  EXPECT_EQ(r1.join().value().code(), errc::fd_closed);
  EXPECT_EQ(r2.join().value().code(), errc::fd_closed);
  EXPECT_TRUE(closer.join().ok());
  EXPECT_EQ(watched(s), 0u);
  EXPECT_FALSE(s.next_deadline().has_value());
  EXPECT_EQ(s.release_fd(p.b()), 0u);  // nobody waits: nothing to do
  EXPECT_EQ(s.release_fd(-1), 0u);
}

TEST(SchedulerFd, AnFdClosedWithoutReleaseEndsTheWaitWithAnErrorOrItsTimeout) {
  scheduler s;
  socket_pair p;
  auto waiter = s.spawn([&] { return wait_readable(p.a(), 50ms); });
  auto closer = s.spawn([&] {
    ::close(p.ends[0]);
    p.ends[0] = -1;
  });
  // poll() reports the closed fd (bad_fd); epoll forgets it, so the timeout ends the wait.
  const errc got = waiter.join().value().code();
  EXPECT_TRUE(got == errc::bad_fd || got == errc::timed_out) << jmpco::message(got);
  EXPECT_TRUE(closer.join().ok());
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, MisusesAreClearErrors) {
  scheduler s;
  socket_pair p;
  EXPECT_EQ(wait_readable(p.a()).code(), errc::outside_task);
  auto t = s.spawn([&] {
    EXPECT_EQ(wait_readable(-1).code(), errc::bad_fd);
    EXPECT_EQ(wait_readable(1 << 30).code(), errc::bad_fd);  // not open
    EXPECT_EQ(jmpco::this_task::wait_fd(p.a(), fd_event{}).code(), errc::bad_fd);
    const int closed = ::dup(p.a());
    ::close(closed);
    EXPECT_EQ(wait_writable(closed).code(), errc::bad_fd);
    // A regular file is always ready, as poll() says.
    std::FILE* file = std::tmpfile();
    EXPECT_TRUE(wait_readable(::fileno(file)).ok());
    std::fclose(file);
  });
  EXPECT_TRUE(t.join().ok());
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, DestroyingTheSchedulerUnwindsTasksWaitingOnFds) {
  auto program = [] {
    socket_pair p;
    bool unwound[3] = {};
    jmpco::task<jmpco::result<void>> handle;
    {
      scheduler s;
      for (bool& flag : unwound) {
        auto t = s.spawn([&] {
          destroyed_flag guard{&flag};
          return wait_readable(p.a(), 1h);
        });
        handle = std::move(t);  // the last one's handle outlives the scheduler
      }
      EXPECT_EQ(s.run_once(), 3u);
    }
    for (bool flag : unwound) EXPECT_TRUE(flag);
    EXPECT_EQ(handle.join().code(), errc::killed);
  };
  count_allocations(program);  // and nothing leaks
}

// Several readers and a writer over socket pairs; every failure comes back as an error.
void fd_program() {
  scheduler s;
  socket_pair p, q;
  auto reader = [](int fd) -> errc {
    auto r = wait_readable(fd, 20ms);
    if (!r) return r.code();
    char c;
    return ::read(fd, &c, 1) == 1 ? errc::ok : errc::bad_fd;
  };
  auto a = s.spawn(reader, p.a());
  auto b = s.spawn(reader, q.a());
  auto w = s.spawn([&] {
    (void)jmpco::this_task::yield();
    EXPECT_EQ(::write(p.b(), "x", 1), 1);
    EXPECT_EQ(::write(q.b(), "y", 1), 1);
  });
  for (auto* t : {&a, &b}) {
    auto r = t->join();
    const errc got = r ? *r : r.code();
    // timed_out: the writer could not be spawned.
    EXPECT_TRUE(got == errc::ok || got == errc::out_of_memory || got == errc::empty_handle ||
                got == errc::timed_out)
        << jmpco::message(got);
  }
  (void)w.join();
}

TEST(SchedulerFd, EveryAllocationFailingInTurnLeavesNothingBehind) {
  const long total = count_allocations(fd_program);
  EXPECT_GT(total, 3);
  for (long k = 1; k <= total; ++k) count_allocations(fd_program, k);
}

TEST(SchedulerFd, ThousandsOfTasksOnThousandsOfFds) {
  rlimit files{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &files), 0);
  std::size_t pairs = 1500;
  if (files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &files);
    (void)::getrlimit(RLIMIT_NOFILE, &files);
  }
  if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < 2 * pairs + 64)
    pairs = (files.rlim_cur - 64) / 2;
  std::vector<socket_pair> sockets(pairs);
  scheduler s;
  std::size_t woken = 0;
  for (auto& p : sockets) {
    s.spawn([&woken, fd = p.a()] {
       if (wait_readable(fd).ok()) ++woken;
     }).detach();
  }
  EXPECT_EQ(s.run_once(), pairs);
  EXPECT_EQ(watched(s), pairs);
  // Wake them from the far end of the table first.
  auto writer = s.spawn([&] {
    for (std::size_t i = pairs; i-- > 0;) {
      EXPECT_EQ(::write(sockets[i].b(), "x", 1), 1);
      if (i % 100 == 0) (void)jmpco::this_task::yield();
    }
  });
  EXPECT_TRUE(s.run().ok());
  EXPECT_EQ(woken, pairs);
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, TheEchoExampleServesAHundredConnectionsOverSocketPairs) {
  scheduler s;
  constexpr int connections = 100;
  std::vector<jmpco::task<std::size_t>> servers;
  std::vector<jmpco::task<bool>> clients;
  std::vector<std::string> messages;
  for (int i = 0; i < connections; ++i) messages.push_back(std::string(100 + 37 * i, 'a' + i % 26));
  for (int i = 0; i < connections; ++i) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
    echo::make_nonblocking(ends[0]);
    echo::make_nonblocking(ends[1]);
    servers.push_back(s.spawn(echo::serve, ends[0]));  // closes its end when done
    clients.push_back(s.spawn([&messages, i, fd = ends[1]] {
      const bool ok = echo::ask(fd, messages[i].data(), messages[i].size());
      ::close(fd);
      return ok;
    }));
  }
  for (int i = 0; i < connections; ++i) {
    EXPECT_TRUE(clients[i].join().value()) << i;
    EXPECT_EQ(servers[i].join().value(), messages[i].size()) << i;
  }
  EXPECT_EQ(watched(s), 0u);
}

TEST(SchedulerFd, DestroyingTheSchedulerUnderManyIdleConnectionsClosesEveryOne) {
  // Up to 1,000 connections, as the descriptor limit allows (two per connection).
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
    (void)::getrlimit(RLIMIT_NOFILE, &limit);
  }
  const std::size_t connections =
      std::min<std::size_t>(1000, (static_cast<std::size_t>(limit.rlim_cur) - 64) / 2);
  std::vector<int> server_ends, client_ends;
  auto s = std::make_unique<scheduler>();
  for (std::size_t i = 0; i < connections; ++i) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
    echo::make_nonblocking(ends[0]);
    server_ends.push_back(ends[0]);
    client_ends.push_back(ends[1]);
    s->spawn(echo::serve_for, ends[0], std::chrono::seconds(60), nullptr, nullptr).detach();
  }
  // Half of them get a message first, so that they wait again after an echo; a few clients go
  // away mid-conversation.
  for (std::size_t i = 0; i < connections; i += 2) ASSERT_EQ(::write(client_ends[i], "hi", 2), 2);
  EXPECT_EQ(s->run_once(), connections);
  for (std::size_t i = 1; i < connections; i += 100) {
    ::close(client_ends[i]);
    client_ends[i] = -1;
  }
  const std::size_t left = connections - (connections + 98) / 100;  // i = 1, 101, 201, ... ended
  for (int round = 0; round < 1000 && s->live_tasks() > left; ++round) (void)s->run_once(1ms);
  EXPECT_EQ(s->live_tasks(), left);
  EXPECT_EQ(watched(*s), s->live_tasks());
  s.reset();  // kills every task: each closes its connection as it unwinds
  for (std::size_t i = 0; i < connections; ++i) {
    EXPECT_EQ(::fcntl(server_ends[i], F_GETFD), -1) << i;  // closed
    if (client_ends[i] < 0) continue;
    char buffer[8];
    const ssize_t got = ::read(client_ends[i], buffer, sizeof buffer);
    EXPECT_EQ(got, i % 2 == 0 ? 2 : 0) << i;  // the echo if it had one, then the end
    ::close(client_ends[i]);
  }
}

#endif  // JMPCO_TEST_FDS

}  // namespace
