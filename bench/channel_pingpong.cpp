// SPDX-License-Identifier: MIT
// Channel ping-pong: one value sent on a "ping" channel and answered on a "pong" channel, per
// iteration, between two tasks of one thread (jmpco::channel, Boost.Fiber's buffered_channel
// between two fibers), and between two threads (jmpco::shared_channel between two schedulers, a
// std::mutex/std::condition_variable hand-off between two std::threads).
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>

#include "jmpco/jmpco.hpp"
#include "registry.hpp"

#if JMPCO_BENCH_HAVE_BOOST_FIBER
#include <boost/fiber/all.hpp>
#endif

namespace {

// jmpco: the benchmark's loop runs inside the pinging task; the other task echoes.
template <std::size_t Capacity>
void jmpco_tasks(benchmark::State& state) {
  jmpco::scheduler s;
  jmpco::channel<int> ping(Capacity);
  jmpco::channel<int> pong(Capacity);
  auto echo = s.spawn([&] {
    while (auto v = ping.recv()) {
      if (!pong.send(*v)) return;
    }
  });
  auto pinger = s.spawn([&] {
    for (auto _ : state) {
      if (!ping.send(1) || !pong.recv()) return state.SkipWithError("channel failed");
    }
    (void)ping.close();
  });
  if (!s.run()) state.SkipWithError("scheduler failed");
}

#if JMPCO_THREADS
// jmpco::shared_channel between a scheduler on this thread and one on another.
void jmpco_threads(benchmark::State& state) {
  jmpco::shared_channel<int> ping(2);
  jmpco::shared_channel<int> pong(2);
  std::thread other([&] {
    jmpco::scheduler s;
    auto echo = s.spawn([&] {
      while (auto v = ping.recv()) {
        if (!pong.send(*v)) return;
      }
    });
    (void)s.run();
  });
  jmpco::scheduler s;
  auto pinger = s.spawn([&] {
    for (auto _ : state) {
      if (!ping.send(1) || !pong.recv()) return state.SkipWithError("channel failed");
    }
    (void)ping.close();
  });
  if (!s.run()) state.SkipWithError("scheduler failed");
  other.join();
}
#endif

#if JMPCO_BENCH_HAVE_BOOST_FIBER
// Boost.Fiber: the benchmark's loop runs in the thread's main fiber; a second fiber echoes.
// buffered_channel's capacity is a power of two, at least 2.
void boost_fibers(benchmark::State& state) {
  boost::fibers::buffered_channel<int> ping(2);
  boost::fibers::buffered_channel<int> pong(2);
  boost::fibers::fiber echo([&] {
    int v = 0;
    while (ping.pop(v) == boost::fibers::channel_op_status::success) pong.push(v);
  });
  int v = 0;
  for (auto _ : state) {
    ping.push(1);
    pong.pop(v);
  }
  ping.close();
  echo.join();
}
#endif

// Two threads, each value handed over through a mutex and a condition variable.
class cv_channel {
 public:
  void push(int v) {
    const std::lock_guard<std::mutex> lock(m_);
    value_ = v;
    cv_.notify_one();
  }
  std::optional<int> pop() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return value_.has_value() || closed_; });
    return std::exchange(value_, std::nullopt);
  }
  void close() {
    const std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    cv_.notify_one();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::optional<int> value_;
  bool closed_ = false;
};

void condition_variable_threads(benchmark::State& state) {
  cv_channel ping;
  cv_channel pong;
  std::thread echo([&] {
    while (auto v = ping.pop()) pong.push(*v);
  });
  for (auto _ : state) {
    ping.push(1);
    (void)pong.pop();
  }
  ping.close();
  echo.join();
}

}  // namespace

namespace bench {

void register_channels() {
  add("channel_pingpong/jmpco/unbuffered", jmpco_tasks<0>);
  add("channel_pingpong/jmpco/capacity-2", jmpco_tasks<2>);
#if JMPCO_BENCH_HAVE_BOOST_FIBER
  add_library("boost-fiber-channel", "boost::fibers::buffered_channel between two fibers");
  add("channel_pingpong/boost-fiber/capacity-2", boost_fibers);
#endif
#if JMPCO_THREADS
  add("channel_pingpong/jmpco-shared-channel/2-threads", jmpco_threads)->UseRealTime();
#endif
  add("channel_pingpong/condition-variable/2-threads", condition_variable_threads)->UseRealTime();
}

}  // namespace bench
