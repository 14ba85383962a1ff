// SPDX-License-Identifier: MIT
// Only includes the library: compiled for targets that must be refused at compile time.
#include "jmpco/jmpco.hpp"

int main() { return 0; }
