// SPDX-License-Identifier: MIT
// Must not compile: the static_assert of include/jmpco says what to write instead.
#include "jmpco/jmpco.hpp"
int x = 1;
int main() {
  jmpco::generator<const int&> g([](auto& y) { y.yield(x); });
}
