// SPDX-License-Identifier: MIT
// The example shown in the README, compiled and run by the test suite.
#include <cstdio>

#include "jmpco/jmpco.hpp"

int main() {
  jmpco::generator<int> squares([](jmpco::yielder<int()>& y) {
    for (int i = 1; i <= 3; ++i) y.yield(i * i);
  });
  for (int v : squares) std::printf("%d ", v);
  std::printf("\n");

  jmpco::coroutine<int(int)> adder([](jmpco::yielder<int(int)>& y, int total) {
    while (total < 40) total += y.yield(total);
    return total;
  });
  adder.resume(30).value();  // first resume: total = 30; yields 30
  jmpco::result<int> last = adder.resume(12);
  std::printf("done: %d\n", last.value());
}
