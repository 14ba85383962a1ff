// SPDX-License-Identifier: MIT
// The one translation unit that compiles the library out of the single header (ci/amalgamate), for
// jmpco_single_header_tests.
#define JMPCO_IMPLEMENTATION
#include "jmpco/jmpco.hpp"
