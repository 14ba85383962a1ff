// SPDX-License-Identifier: MIT
// The scheduler's wait on POSIX systems other than Linux: poll() over the watched fds, a
// self-pipe for interrupt().
#include "scheduler_wait.hpp"

#if defined(JMPCO_SCHEDULER_WAIT_POLL)
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <new>

#include "assert.hpp"
#include "jmpco/allocator.hpp"
#include "scheduler_wait_posix.hpp"

namespace jmpco::detail {

struct event_wait {
  allocator source;    // of it and `polled`: they live as long as the scheduler
  int pipe_read = -1;  // interrupt() writes a byte to pipe_write
  int pipe_write = -1;
  std::size_t watched = 0;   // fds watched now
  pollfd* polled = nullptr;  // room for the pipe and every watched fd
  std::size_t capacity = 0;
};

namespace {

bool make_pipe(event_wait* w) noexcept {
  int ends[2];
  if (::pipe(ends) != 0) return false;
  w->pipe_read = ends[0];
  w->pipe_write = ends[1];
  for (int fd : ends) {
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return false;
    if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) return false;
  }
  return true;
}

// Room in `polled` for the pipe and `fds` watched fds.
bool reserve(event_wait* w, std::size_t fds) noexcept {
  if (fds + 1 <= w->capacity) return true;
  const std::size_t capacity = (fds + 1) * 2;
  auto* grown = static_cast<pollfd*>(allocate_from(w->source, sizeof(pollfd) * capacity));
  if (grown == nullptr) return false;
  if (w->polled != nullptr) deallocate_to(w->source, w->polled, sizeof(pollfd) * w->capacity);
  w->polled = grown;
  w->capacity = capacity;
  return true;
}

unsigned from_poll(short events) noexcept {
  unsigned out = 0;
  if ((events & POLLNVAL) != 0) return fd_invalid;
  if ((events & (POLLIN | POLLERR | POLLHUP)) != 0) out |= fd_readable;
  if ((events & (POLLOUT | POLLERR | POLLHUP)) != 0) out |= fd_writable;
  return out;
}

}  // namespace

bool event_wait_has_fds() noexcept { return true; }

event_wait* make_event_wait() noexcept {
  const allocator source = get_allocator();
  void* memory = allocate_from(source, sizeof(event_wait));
  if (memory == nullptr) return nullptr;
  auto* w = ::new (memory) event_wait{source};
  if (!make_pipe(w) || !reserve(w, 0)) {
    free_event_wait(w);
    return nullptr;
  }
  return w;
}

void free_event_wait(event_wait* w) noexcept {
  close_if_open(w->pipe_read);
  close_if_open(w->pipe_write);
  const allocator source = w->source;
  if (w->polled != nullptr) deallocate_to(source, w->polled, sizeof(pollfd) * w->capacity);
  w->~event_wait();
  deallocate_to(source, w, sizeof(event_wait));
}

void interrupt_event_wait(event_wait* w) noexcept {
  const char byte = 1;
  write_wakeup(w->pipe_write, &byte, 1);
}

errc watch_fd(event_wait* w, int fd, unsigned was, unsigned events) noexcept {
  if (events == 0) {
    JMPCO_ASSERT(was != 0 && w->watched > 0);
    --w->watched;
    return errc::ok;
  }
  if (fd < 0 || fd == w->pipe_read || fd == w->pipe_write) return errc::bad_fd;
  struct stat about;
  if (::fstat(fd, &about) != 0) return errc::bad_fd;
  if (S_ISREG(about.st_mode)) return errc::would_block;  // always ready, as epoll's variant says
  if (was == 0) {
    if (!reserve(w, w->watched + 1)) return errc::out_of_memory;
    ++w->watched;
  }
  return errc::ok;
}

void block(event_wait* w, const fd_watch* table, std::size_t size,
           const std::chrono::steady_clock::time_point* deadline, fd_ready_fn ready,
           void* user) noexcept {
  pollfd* polled = w->polled;
  polled[0] = {w->pipe_read, POLLIN, 0};
  nfds_t count = 1;
  for (std::size_t fd = 0; fd < size; ++fd) {
    const unsigned events = table[fd].events;
    if (events == 0) continue;
    JMPCO_ASSERT(count <= w->watched);
    const short wanted = static_cast<short>(((events & fd_readable) != 0 ? POLLIN : 0) |
                                            ((events & fd_writable) != 0 ? POLLOUT : 0));
    polled[count++] = {static_cast<int>(fd), wanted, 0};
  }
  if (::poll(polled, count, poll_timeout(deadline)) <= 0) return;
  if (polled[0].revents != 0) drain_wakeups(w->pipe_read);
  for (nfds_t i = 1; i < count; ++i) {
    if (polled[i].revents != 0) ready(user, polled[i].fd, from_poll(polled[i].revents));
  }
}

}  // namespace jmpco::detail
#endif
