// SPDX-License-Identifier: MIT
// The echo service of examples/echo_server.cpp and echo_libevent.cpp (and its test over socket
// pairs, tests/scheduler_io_test.cpp): a task per connection, written as if reads and writes
// blocked; each waits with this_task::wait_readable / wait_writable, so the other connections'
// tasks run meanwhile. POSIX only.
#ifndef JMPCO_EXAMPLES_ECHO_HPP
#define JMPCO_EXAMPLES_ECHO_HPP

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

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

// What one read of a connection brought.
enum class echo_step { echoed, nothing_yet, ended };

// Echoes what one read of `fd` brings, adding the count to `echoed`. The buffer lives only in
// this call (not inlined): a task waiting for its next read then keeps no buffer in its suspended
// stack, where 4 KiB would be copied at every switch and kept for every idle connection. Only a
// write that must wait for the peer suspends the task with the buffer live.
JMPCO_NOINLINE inline echo_step echo_available(int fd, std::size_t& echoed) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return echo_step::nothing_yet;
  if (got <= 0) return echo_step::ended;
  if (!write_all(fd, buffer, static_cast<std::size_t>(got))) return echo_step::ended;
  echoed += static_cast<std::size_t>(got);
  return echo_step::echoed;
}

// One connection's task: echoes everything back until the peer closes, an error, or
// `idle_timeout` without data; then closes `fd`. Returns how many bytes it echoed. Calls
// `on_echo(user)`, when given, after each echo.
inline std::size_t serve_for(int fd, std::chrono::seconds idle_timeout,
                             void (*on_echo)(void*) = nullptr, void* user = nullptr) {
  struct close_on_exit {  // also when the task is killed
    int fd;
    ~close_on_exit() { ::close(fd); }
  } closer{fd};
  std::size_t echoed = 0;
  for (;;) {
    switch (echo_available(fd, echoed)) {
      case echo_step::ended:
        return echoed;
      case echo_step::nothing_yet:
        if (!jmpco::this_task::wait_readable(fd, idle_timeout)) return echoed;
        break;
      case echo_step::echoed:
        if (on_echo != nullptr) on_echo(user);
        break;
    }
  }
}

// serve_for with a 10 s idle timeout, so that a lost peer cannot hold a task forever.
inline std::size_t serve(int fd) { return serve_for(fd, std::chrono::seconds(10)); }

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

// ---- over loopback TCP (echo_server.cpp, echo_libevent.cpp) ----

// A non-blocking socket listening on 127.0.0.1 at a port of the system's choosing; -1 on failure.
inline int listen_on_loopback(sockaddr_in& address) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  std::memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 128) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
      !make_nonblocking(fd)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Accepts connections until `expected` came, each served by a task of its own.
inline int accept_loop(jmpco::scheduler& s, int listener, int expected) {
  int accepted = 0;
  while (accepted < expected) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd >= 0) {
      make_nonblocking(fd);
      auto connection = s.spawn(serve, fd);
      if (!connection) ::close(fd);  // no memory for its task: refused
      connection.detach();
      ++accepted;
    } else if (!jmpco::this_task::wait_readable(listener)) {
      break;
    }
  }
  return accepted;
}

// Connects to the server and asks for an echo of its own message.
inline bool client(const sockaddr_in& server, int number) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  make_nonblocking(fd);
  // A non-blocking connect: done when the socket becomes writable.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      (errno != EINPROGRESS || !jmpco::this_task::wait_writable(fd))) {
    ::close(fd);
    return false;
  }
  const std::string message = "hello from client " + std::to_string(number) + "\n";
  const bool ok = ask(fd, message.data(), message.size());
  ::close(fd);
  return ok;
}

// What both examples run on their scheduler: a listener task and `count` client tasks.
class loopback_demo {
 public:
  loopback_demo() = default;
  loopback_demo(const loopback_demo&) = delete;
  loopback_demo& operator=(const loopback_demo&) = delete;
  ~loopback_demo() {
    if (listener_ >= 0) ::close(listener_);
  }

  bool start(jmpco::scheduler& s, int count) {
    listener_ = listen_on_loopback(server_);
    if (listener_ < 0) return false;
    acceptor_ = s.spawn(accept_loop, std::ref(s), listener_, count);
    for (int i = 0; i < count; ++i) clients_.push_back(s.spawn(client, std::cref(server_), i));
    return true;
  }

  // Once the scheduler has run them: how many connections were accepted and answered.
  std::string report() {
    int answered = 0;
    for (auto& c : clients_) {
      auto r = c.join();
      if (r && *r) ++answered;
    }
    auto accepted = acceptor_.join();
    return std::to_string(accepted ? *accepted : -1) + " connections accepted, " +
           std::to_string(answered) + " clients got their echo";
  }

 private:
  int listener_ = -1;
  sockaddr_in server_{};
  jmpco::task<int> acceptor_;
  std::vector<jmpco::task<bool>> clients_;
};

}  // namespace echo

#endif  // JMPCO_EXAMPLES_ECHO_HPP
