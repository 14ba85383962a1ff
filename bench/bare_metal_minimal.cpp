// SPDX-License-Identifier: MIT
// The smallest useful jmpco program on bare metal, for ci/bare-metal-size: one coroutine resumed
// twice. Built with -DJMPCO_SIZE_BASELINE it is the same program without the coroutine, so the
// difference of the two sizes is what using jmpco costs a firmware image (jmpco itself and what
// it pulls in from newlib and libstdc++).
#if !defined(JMPCO_SIZE_BASELINE)
#include "jmpco/jmpco.hpp"

int main() {
  jmpco::coroutine<int(int)> co(
      [](jmpco::yielder<int(int)>& y, int v) { return y.yield(v + 1) * 2; });
  jmpco::result<int> first = co.resume(1);
  jmpco::result<int> second = co.resume(20);
  return first.ok() && *first == 2 && second.ok() && *second == 40 ? 0 : 1;
}
#else
int main() { return 0; }
#endif
