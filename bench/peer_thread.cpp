// SPDX-License-Identifier: MIT
// Peer: a std::thread per "coroutine", handing control back and forth with a mutex and a condition
// variable (only one side runs at a time, as with coroutines). A round trip is two hand-offs, each
// a wake-up of a sleeping thread by the kernel.
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common.hpp"
#include "registry.hpp"

namespace {

// One resumer/coroutine pair. state: idle (coroutine waits), resumed (coroutine runs), yielded.
class link {
 public:
  // Resumer side: run the coroutine until it yields back.
  void resume() {
    std::unique_lock<std::mutex> lock(m_);
    state_ = resumed;
    cv_.notify_one();
    cv_.wait(lock, [this] { return state_ == yielded; });
    state_ = idle;
  }
  // Coroutine side: wait to be resumed; false when asked to stop instead.
  bool wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return state_ == resumed || stop_; });
    return state_ == resumed;
  }
  // Coroutine side: hand control back.
  void yield() {
    std::lock_guard<std::mutex> lock(m_);
    state_ = yielded;
    cv_.notify_one();
  }
  void stop() {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
    cv_.notify_one();
  }

 private:
  enum { idle, resumed, yielded };
  std::mutex m_;
  std::condition_variable cv_;
  int state_ = idle;
  bool stop_ = false;
};

template <std::size_t N>
void roundtrip(benchmark::State& state) {
  link l;
  std::thread worker([&l] {
    bench::live_stack<N> live;
    while (l.wait()) {
      live.touch();
      l.yield();
    }
  });
  l.resume();
  for (auto _ : state) l.resume();
  l.stop();
  worker.join();
}

void create_finish_destroy(benchmark::State& state) {
  for (auto _ : state) {
    std::thread t([] {});
    t.join();
  }
}

void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::vector<std::unique_ptr<link>> links;
  for (int i = 0; i < depth; ++i) links.push_back(std::make_unique<link>());
  std::vector<std::thread> threads;
  for (int i = 0; i < depth; ++i) {
    link* self = links[static_cast<std::size_t>(i)].get();
    link* child = i + 1 < depth ? links[static_cast<std::size_t>(i) + 1].get() : nullptr;
    threads.emplace_back([self, child] {
      while (self->wait()) {
        if (child != nullptr) child->resume();
        self->yield();
      }
    });
  }
  links[0]->resume();
  for (auto _ : state) links[0]->resume();
  for (auto& l : links) l->stop();
  for (auto& t : threads) t.join();
  state.counters["switches"] = 2.0 * depth;
}

struct register_sized {
  template <std::size_t N>
  void operator()() const {
    bench::add("roundtrip/std-thread/" + std::to_string(N), roundtrip<N>)->UseRealTime();
  }
};

}  // namespace

namespace bench {

void register_thread() {
  add_library("std-thread", "std::thread + std::mutex/std::condition_variable hand-off");
  for_each_live_size(register_sized{});
  bench::add("create/std-thread", create_finish_destroy)->UseRealTime();
  bench::add("chain/std-thread", chain)->Arg(10)->Arg(100)->UseRealTime();
}

}  // namespace bench
