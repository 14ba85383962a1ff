// SPDX-License-Identifier: MIT
// The one .cpp of the program that compiles jmpco out of its single header.
#define JMPCO_IMPLEMENTATION
#include "jmpco/jmpco.hpp"
