// SPDX-License-Identifier: MIT
// The scheduler's wait on Linux: epoll for the watched fds, an eventfd for interrupt().
#include "scheduler_wait.hpp"

#if defined(JMPCO_SCHEDULER_WAIT_EPOLL)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <new>

#include "assert.hpp"
#include "jmpco/allocator.hpp"
#include "scheduler_wait_posix.hpp"

namespace jmpco::detail {

struct event_wait {
  allocator source;  // it lives as long as its scheduler, maybe past a change of allocator
  int epoll = -1;
  int wakeup = -1;  // the eventfd interrupt() writes to
};

namespace {

constexpr int batch = 64;  // events taken per epoll_wait

std::uint32_t to_epoll(unsigned events) noexcept {
  return ((events & fd_readable) != 0 ? EPOLLIN : 0u) |
         ((events & fd_writable) != 0 ? EPOLLOUT : 0u);
}

// Errors and hang-ups wake both directions: the read or write that follows reports them.
unsigned from_epoll(std::uint32_t events) noexcept {
  unsigned out = 0;
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0) out |= fd_readable;
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) out |= fd_writable;
  return out;
}

}  // namespace

bool event_wait_has_fds() noexcept { return true; }

event_wait* make_event_wait() noexcept {
  const allocator source = get_allocator();
  void* memory = allocate_from(source, sizeof(event_wait));
  if (memory == nullptr) return nullptr;
  auto* w = ::new (memory) event_wait{source};
  w->epoll = ::epoll_create1(EPOLL_CLOEXEC);
  w->wakeup = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event interest{};
  interest.events = EPOLLIN;
  interest.data.fd = w->wakeup;
  if (w->epoll < 0 || w->wakeup < 0 ||
      ::epoll_ctl(w->epoll, EPOLL_CTL_ADD, w->wakeup, &interest) != 0) {
    free_event_wait(w);
    return nullptr;
  }
  return w;
}

void free_event_wait(event_wait* w) noexcept {
  close_if_open(w->epoll);
  close_if_open(w->wakeup);
  const allocator source = w->source;
  w->~event_wait();
  deallocate_to(source, w, sizeof(event_wait));
}

void interrupt_event_wait(event_wait* w) noexcept {
  const std::uint64_t one = 1;
  write_wakeup(w->wakeup, &one, sizeof one);
}

errc watch_fd(event_wait* w, int fd, unsigned was, unsigned events) noexcept {
  if (fd < 0 || fd == w->wakeup || fd == w->epoll) return errc::bad_fd;
  epoll_event interest{};
  interest.events = to_epoll(events);
  interest.data.fd = fd;
  int op = events == 0 ? EPOLL_CTL_DEL : was == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  int done = ::epoll_ctl(w->epoll, op, fd, &interest);
  // A closed fd leaves epoll's set by itself; its number may now be another file's.
  if (done != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
    done = ::epoll_ctl(w->epoll, EPOLL_CTL_ADD, fd, &interest);
  if (done == 0 || (op == EPOLL_CTL_DEL && (errno == ENOENT || errno == EBADF))) return errc::ok;
  if (errno == ENOMEM || errno == ENOSPC) return errc::out_of_memory;
  if (errno == EPERM) return errc::would_block;  // a regular file: epoll cannot watch it
  return errc::bad_fd;
}

void block(event_wait* w, const fd_watch* /*table*/, std::size_t /*size*/,
           const std::chrono::steady_clock::time_point* deadline, fd_ready_fn ready,
           void* user) noexcept {
  epoll_event events[batch];
  const int count = ::epoll_wait(w->epoll, events, batch, poll_timeout(deadline));
  for (int i = 0; i < count; ++i) {
    if (events[i].data.fd == w->wakeup)
      drain_wakeups(w->wakeup);
    else
      ready(user, events[i].data.fd, from_epoll(events[i].events));
  }
}

}  // namespace jmpco::detail
#endif
