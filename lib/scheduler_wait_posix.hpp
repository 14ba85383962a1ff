// SPDX-License-Identifier: MIT
// What the epoll and poll variants of the scheduler's wait share (POSIX only).
#ifndef JMPCO_LIB_SCHEDULER_WAIT_POSIX_HPP
#define JMPCO_LIB_SCHEDULER_WAIT_POSIX_HPP

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace jmpco::detail {

// Writes the wake-up token to an eventfd or pipe; async-signal-safe, and leaves errno as it found
// it (a signal handler must). A full eventfd counter or pipe (EAGAIN) already wakes the wait.
inline void write_wakeup(int fd, const void* token, std::size_t size) noexcept {
  const int saved = errno;
  while (::write(fd, token, size) < 0 && errno == EINTR) {
  }
  errno = saved;
}

// Reads every pending wake-up token (the descriptor is non-blocking).
inline void drain_wakeups(int fd) noexcept {
  char tokens[64];
  for (;;) {
    const ssize_t got = ::read(fd, tokens, sizeof tokens);
    if (got > 0 || (got < 0 && errno == EINTR)) continue;
    return;  // empty (EAGAIN)
  }
}

inline void close_if_open(int fd) noexcept {
  if (fd >= 0) ::close(fd);
}

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_SCHEDULER_WAIT_POSIX_HPP
