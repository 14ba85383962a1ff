// SPDX-License-Identifier: MIT
// Must not compile: the static_assert of include/jmpco says what to write instead.
#include "jmpco/jmpco.hpp"
int main() {
  jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) {
    y.yield("text");
    return 1;
  });
}
