// SPDX-License-Identifier: MIT
// jmpco: Lua 5.4 coroutines for C++, switched with setjmp/longjmp on copied-out stack segments.
#ifndef JMPCO_JMPCO_HPP
#define JMPCO_JMPCO_HPP

#include "jmpco/allocator.hpp"
#include "jmpco/core.hpp"
#include "jmpco/coroutine.hpp"
#include "jmpco/error.hpp"
#include "jmpco/generator.hpp"
#include "jmpco/scheduler.hpp"
#include "jmpco/version.hpp"

#endif  // JMPCO_JMPCO_HPP
