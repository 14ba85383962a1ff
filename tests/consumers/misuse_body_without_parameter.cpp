// SPDX-License-Identifier: MIT
// Must not compile: the static_assert of include/jmpco says what to write instead.
#include "jmpco/jmpco.hpp"
int main() {
  jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>& y) { return 1; });
}
