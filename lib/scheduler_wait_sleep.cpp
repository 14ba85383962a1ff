// SPDX-License-Identifier: MIT
// The scheduler's wait where there is neither epoll nor poll (Windows, bare metal): no fd waits.
// With threads it sleeps on a condition variable that interrupt() notifies; without (bare metal)
// it spins on an atomic flag, which an interrupt handler may set.
#include "scheduler_wait.hpp"

#if defined(JMPCO_SCHEDULER_WAIT_SLEEP)
#include <atomic>
#include <new>

#include "jmpco/allocator.hpp"
#include "jmpco/config.hpp"

#if JMPCO_THREADS
#include <condition_variable>
#include <mutex>
#endif

namespace jmpco::detail {

struct event_wait {
  explicit event_wait(const allocator& from) noexcept : source(from) {}
  allocator source;  // it lives as long as its scheduler, maybe past a change of allocator
#if JMPCO_THREADS
  std::mutex lock;
  std::condition_variable woken;
  bool interrupted = false;  // under `lock`
#else
  std::atomic<bool> interrupted{false};
#endif
};

bool event_wait_has_fds() noexcept { return false; }

event_wait* make_event_wait() noexcept {
  const allocator source = get_allocator();
  void* memory = allocate_from(source, sizeof(event_wait));
  if (memory == nullptr) return nullptr;
  return ::new (memory) event_wait(source);
}

void free_event_wait(event_wait* w) noexcept {
  const allocator source = w->source;
  w->~event_wait();
  deallocate_to(source, w, sizeof(event_wait));
}

errc watch_fd(event_wait*, int, unsigned, unsigned) noexcept { return errc::unsupported_platform; }

#if JMPCO_THREADS

void interrupt_event_wait(event_wait* w) noexcept {
  const std::lock_guard<std::mutex> hold(w->lock);
  w->interrupted = true;
  w->woken.notify_one();
}

void block(event_wait* w, const fd_watch*, std::size_t,
           const std::chrono::steady_clock::time_point* deadline, fd_ready_fn, void*) noexcept {
  std::unique_lock<std::mutex> hold(w->lock);
  const auto interrupted = [w] { return w->interrupted; };
  if (deadline == nullptr)
    w->woken.wait(hold, interrupted);
  else
    w->woken.wait_until(hold, *deadline, interrupted);
  w->interrupted = false;
}

#else

void interrupt_event_wait(event_wait* w) noexcept { w->interrupted.store(true); }

void block(event_wait* w, const fd_watch*, std::size_t,
           const std::chrono::steady_clock::time_point* deadline, fd_ready_fn, void*) noexcept {
  while (!w->interrupted.load() &&
         (deadline == nullptr || std::chrono::steady_clock::now() < *deadline)) {
  }
  w->interrupted.store(false);
}

#endif

}  // namespace jmpco::detail
#endif
