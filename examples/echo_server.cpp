// SPDX-License-Identifier: MIT
// An echo server with a task per connection over real TCP on the loopback interface: a listener
// task accepts, each connection gets its own task (echo.hpp), and client tasks on the same
// scheduler talk to it. Bounded: 127.0.0.1, a port the system picks, 50 clients, then it stops.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "echo.hpp"

namespace {

constexpr int kClients = 50;

// A non-blocking socket listening on 127.0.0.1 at a port of the system's choosing; -1 on failure.
int listen_on_loopback(sockaddr_in& address) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  std::memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 128) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
      !echo::make_nonblocking(fd)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Accepts connections until `expected` came, each served by a task of its own.
int accept_loop(jmpco::scheduler& s, int listener, int expected) {
  int accepted = 0;
  while (accepted < expected) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd >= 0) {
      echo::make_nonblocking(fd);
      s.spawn(echo::serve, fd).detach();
      ++accepted;
    } else if (!jmpco::this_task::wait_readable(listener)) {
      break;
    }
  }
  return accepted;
}

// Connects to the server and asks for an echo of its own message.
bool client(const sockaddr_in& server, int number) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  echo::make_nonblocking(fd);
  // A non-blocking connect: done when the socket becomes writable.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      (errno != EINPROGRESS || !jmpco::this_task::wait_writable(fd))) {
    ::close(fd);
    return false;
  }
  const std::string message = "hello from client " + std::to_string(number) + "\n";
  const bool ok = echo::ask(fd, message.data(), message.size());
  ::close(fd);
  return ok;
}

}  // namespace

int main() {
  sockaddr_in server{};
  const int listener = listen_on_loopback(server);
  if (listener < 0) {
    std::perror("listen on 127.0.0.1");
    return 1;
  }
  jmpco::scheduler s;
  auto acceptor = s.spawn(accept_loop, std::ref(s), listener, kClients);
  jmpco::task<bool> clients[kClients];
  for (int i = 0; i < kClients; ++i) clients[i] = s.spawn(client, std::cref(server), i);
  int answered = 0;
  for (auto& c : clients) {
    auto r = c.join();
    if (r && *r) ++answered;
  }
  auto accepted = acceptor.join();
  if (!s.run()) std::printf("the connection tasks did not finish\n");
  ::close(listener);
  std::printf("%d connections accepted, %d clients got their echo\n", accepted ? *accepted : -1,
              answered);
  return answered == kClients ? 0 : 1;
}
