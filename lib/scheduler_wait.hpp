// SPDX-License-Identifier: MIT
// What a scheduler blocks in when no task is ready: until a deadline, an interrupt() from any
// thread, or an event on a file descriptor a task waits for. One variant per platform, each a
// .cpp that guards its whole body with the condition that selects it and defines all of this:
//   scheduler_wait_epoll.cpp  Linux: epoll, interrupted through an eventfd
//   scheduler_wait_poll.cpp   other POSIX systems: poll(), interrupted through a self-pipe
//   scheduler_wait_sleep.cpp  elsewhere (Windows, bare metal): no fd waits; a condition variable,
//                             or without threads a spin on an atomic flag
#ifndef JMPCO_LIB_SCHEDULER_WAIT_HPP
#define JMPCO_LIB_SCHEDULER_WAIT_HPP

#include <chrono>
#include <cstddef>

#include "jmpco/error.hpp"

// A build may pick one by defining it (the tests build the poll variant on Linux too).
#if !defined(JMPCO_SCHEDULER_WAIT_EPOLL) && !defined(JMPCO_SCHEDULER_WAIT_POLL) && \
    !defined(JMPCO_SCHEDULER_WAIT_SLEEP)
#if defined(__linux__)
#define JMPCO_SCHEDULER_WAIT_EPOLL 1
#elif defined(__unix__) || defined(__APPLE__)
#define JMPCO_SCHEDULER_WAIT_POLL 1
#else
#define JMPCO_SCHEDULER_WAIT_SLEEP 1
#endif
#endif

namespace jmpco::detail {

// The variant's state; created when the scheduler first blocks or watches an fd.
struct event_wait;

// Events on a file descriptor, as the scheduler's public fd_event (scheduler.hpp).
enum : unsigned {
  fd_readable = 1,
  fd_writable = 2,
  fd_invalid = 4,  // reported only: the fd is not open (poll's POLLNVAL)
};

// One entry of the scheduler's table of watched fds, indexed by fd: what its waiters want.
struct fd_watch {
  unsigned events = 0;
  void* waiters = nullptr;  // the scheduler's list (task_node*), opaque here
};

// Called by block() for each watched fd with an event.
using fd_ready_fn = void (*)(void* user, int fd, unsigned events) noexcept;

// Whether this variant can wait for file descriptors at all.
bool event_wait_has_fds() noexcept;
// nullptr when memory or descriptors run out.
event_wait* make_event_wait() noexcept;
void free_event_wait(event_wait* w) noexcept;
// Ends the current block(), or the next one if none is in progress. Safe from any thread, and
// from a signal handler in the POSIX variants (a write() to a descriptor).
void interrupt_event_wait(event_wait* w) noexcept;
// Changes what `fd` is watched for from `was` to `events` (0: no longer watched). errc::ok, or
// errc::would_block for a file that is always ready (a regular file: epoll refuses those, poll
// reports them ready; not watched), errc::bad_fd when the fd cannot be watched,
// errc::out_of_memory, errc::unsupported_platform without fd waits. Nothing changes on failure.
errc watch_fd(event_wait* w, int fd, unsigned was, unsigned events) noexcept;
// Blocks until `deadline` (nullptr: no limit), an interrupt, or an event on a watched fd, and
// reports each fd with an event to `ready`. `table` holds `size` entries indexed by fd, the
// ones with events != 0 watched (the poll variant polls them; epoll has its own set).
void block(event_wait* w, const fd_watch* table, std::size_t size,
           const std::chrono::steady_clock::time_point* deadline, fd_ready_fn ready,
           void* user) noexcept;

// A block's timeout for poll() and epoll_wait(): -1 without a deadline, else the milliseconds
// left rounded up (a wait that ends early only costs another round), at most INT_MAX.
inline int poll_timeout(const std::chrono::steady_clock::time_point* deadline) noexcept {
  if (deadline == nullptr) return -1;
  const auto left = *deadline - std::chrono::steady_clock::now();
  if (left <= left.zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_SCHEDULER_WAIT_HPP
