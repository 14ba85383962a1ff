// SPDX-License-Identifier: MIT
// The echo service of examples/echo_server.cpp and echo_libevent.cpp (and its test over socket
// pairs, tests/scheduler_io_test.cpp): a task per connection, written as if reads and writes
// blocked; each waits with this_task::wait_readable / wait_writable, so the other connections'
// tasks run meanwhile. POSIX only.
#ifndef JMPCO_EXAMPLES_ECHO_HPP
#define JMPCO_EXAMPLES_ECHO_HPP

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>

#include "jmpco/jmpco.hpp"

namespace echo {

inline bool make_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Writes all of `size` bytes to the non-blocking `fd`, waiting while it is full.
inline jmpco::result<void> write_all(int fd, const char* bytes, std::size_t size) {
  while (size != 0) {
    const ssize_t put = ::write(fd, bytes, size);
    if (put > 0) {
      bytes += put;
      size -= static_cast<std::size_t>(put);
    } else if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (auto r = jmpco::this_task::wait_writable(fd, std::chrono::seconds(10)); !r) return r;
    } else if (put < 0 && errno != EINTR) {
      return jmpco::error(jmpco::errc::bad_fd);
    }
  }
  return {};
}

// Reads up to `size` bytes from the non-blocking `fd`, waiting until some come: how many (0 at
// the end of the stream).
inline jmpco::result<std::size_t> read_some(int fd, char* bytes, std::size_t size) {
  for (;;) {
    const ssize_t got = ::read(fd, bytes, size);
    if (got >= 0) return jmpco::result<std::size_t>(std::in_place, static_cast<std::size_t>(got));
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto r = jmpco::this_task::wait_readable(fd, std::chrono::seconds(10)); !r)
        return r.error();
    } else if (errno != EINTR) {
      return jmpco::error(jmpco::errc::bad_fd);
    }
  }
}

// One connection's task: echoes everything back until the peer closes; then closes `fd`.
// Returns how many bytes it echoed.
inline std::size_t serve(int fd) {
  struct close_on_exit {  // also when the task is killed
    int fd;
    ~close_on_exit() { ::close(fd); }
  } closer{fd};
  std::size_t echoed = 0;
  char buffer[4096];
  for (;;) {
    auto got = read_some(fd, buffer, sizeof buffer);
    if (!got || *got == 0) return echoed;
    if (!write_all(fd, buffer, *got)) return echoed;
    echoed += *got;
  }
}

// A client's task: sends `message`, reads the echo back, and says whether it matched.
inline bool ask(int fd, const char* message, std::size_t size) {
  if (!write_all(fd, message, size)) return false;
  std::size_t matched = 0;
  char buffer[256];
  while (matched < size) {
    auto got = read_some(fd, buffer, sizeof buffer);
    if (!got || *got == 0) return false;
    for (std::size_t i = 0; i < *got; ++i) {
      if (matched + i >= size || buffer[i] != message[matched + i]) return false;
    }
    matched += *got;
  }
  return true;
}

}  // namespace echo

#endif  // JMPCO_EXAMPLES_ECHO_HPP
