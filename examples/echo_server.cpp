// SPDX-License-Identifier: MIT
// An echo server with a task per connection over real TCP on the loopback interface: a listener
// task accepts, each connection gets its own task (echo.hpp), and client tasks on the same
// scheduler talk to it. Bounded: 127.0.0.1, a port the system picks, 50 clients, then it stops.
#include <cstdio>

#include "echo.hpp"

int main() {
  jmpco::scheduler s;
  echo::loopback_demo demo;
  if (!demo.start(s, 50)) {
    std::perror("listen on 127.0.0.1");
    return 1;
  }
  if (!s.run()) std::printf("the tasks did not finish\n");
  std::printf("%s\n", demo.report().c_str());
}
