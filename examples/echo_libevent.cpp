// SPDX-License-Identifier: MIT
// The echo server of echo_server.cpp with libevent's loop in charge: the program's loop asks the
// scheduler which fds its tasks wait on (watched_fds) and when its next sleeper wakes
// (next_deadline), has libevent watch those, and lets the scheduler run (run_once) whenever
// libevent reports one of them. The tasks are the same; only who waits differs.
#include <event2/event.h>

#include <cstdio>
#include <vector>

#include "echo.hpp"

namespace {

// libevent's events for the fds the scheduler's tasks wait on, kept in step with watched_fds().
class event_bridge {
 public:
  explicit event_bridge(event_base* base)
      : base_(base), timer_(evtimer_new(base, on_event, nullptr)) {}
  event_bridge(const event_bridge&) = delete;
  event_bridge& operator=(const event_bridge&) = delete;
  ~event_bridge() {
    for (watch& w : watches_) event_free(w.ev);
    event_free(timer_);
  }

  // Watches what the scheduler waits for now, and its next deadline.
  void follow(const jmpco::scheduler& s) {
    std::vector<jmpco::fd_interest> wanted(s.watched_fds(nullptr, 0));
    wanted.resize(s.watched_fds(wanted.data(), wanted.size()));
    std::vector<watch> kept;
    for (watch& w : watches_) {
      if (wanted_as(wanted, w.interest))
        kept.push_back(w);
      else
        event_free(w.ev);
    }
    watches_ = kept;
    for (const jmpco::fd_interest& i : wanted) {
      if (watched_as(i)) continue;
      short what = EV_PERSIST;
      if ((static_cast<unsigned>(i.events) & 1u) != 0) what |= EV_READ;
      if ((static_cast<unsigned>(i.events) & 2u) != 0) what |= EV_WRITE;
      event* ev = event_new(base_, i.fd, what, on_event, nullptr);
      event_add(ev, nullptr);
      watches_.push_back({i, ev});
    }
    evtimer_del(timer_);
    if (auto deadline = s.next_deadline()) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          *deadline - jmpco::scheduler::clock::now());
      const long long us = left.count() > 0 ? left.count() : 0;
      timeval tv{static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
      evtimer_add(timer_, &tv);
    }
  }

 private:
  struct watch {
    jmpco::fd_interest interest;
    event* ev;
  };
  static void on_event(evutil_socket_t, short, void*) {}  // the loop's return is the news
  static bool same(const jmpco::fd_interest& a, const jmpco::fd_interest& b) {
    return a.fd == b.fd && a.events == b.events;
  }
  static bool wanted_as(const std::vector<jmpco::fd_interest>& wanted,
                        const jmpco::fd_interest& i) {
    for (const auto& w : wanted)
      if (same(w, i)) return true;
    return false;
  }
  bool watched_as(const jmpco::fd_interest& i) const {
    for (const watch& w : watches_)
      if (same(w.interest, i)) return true;
    return false;
  }

  event_base* base_;
  event* timer_;
  std::vector<watch> watches_;
};

}  // namespace

int main() {
  event_base* base = event_base_new();
  jmpco::scheduler s;
  echo::loopback_demo demo;
  if (base == nullptr || !demo.start(s, 50)) {
    std::perror("libevent or listen on 127.0.0.1");
    return 1;
  }
  {
    event_bridge bridge(base);
    // run_once(0): the scheduler looks at its fds without blocking and runs what is ready; while
    // tasks ran, more may be ready, so libevent only peeks (EVLOOP_NONBLOCK). EVLOOP_ONCE: back
    // after one round of callbacks (fds a task waits to write to are ready round after round).
    while (s.live_tasks() != 0) {
      const std::size_t ran = s.run_once(jmpco::scheduler::clock::duration::zero());
      bridge.follow(s);
      event_base_loop(base, EVLOOP_ONCE | (ran != 0 ? EVLOOP_NONBLOCK : 0));
    }
  }
  event_base_free(base);
  std::printf("%s (libevent's loop)\n", demo.report().c_str());
}
