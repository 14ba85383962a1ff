// SPDX-License-Identifier: MIT
// A consumer built with the other exception setting than the library: it must not link, and the
// linker's message must name the configuration it wanted (see jmpco/config.hpp).
#include "jmpco/coroutine.hpp"  // what it uses (the scheduler needs threads the bare-metal check lacks)

int main() {
  jmpco::coroutine<int()> co([](jmpco::yielder<int()>&) { return 1; });
  return co.resume().ok() ? 0 : 1;
}
