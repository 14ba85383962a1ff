// SPDX-License-Identifier: MIT
// Selects the jump primitive that config.hpp chose for this compiler and target.
#ifndef JMPCO_LIB_JUMP_HPP
#define JMPCO_LIB_JUMP_HPP

#include "jmpco/config.hpp"

#if JMPCO_JUMP_KIND == JMPCO_JUMP_KIND_BUILTIN
#include "jump_gcc_builtin.hpp"
#elif JMPCO_JUMP_KIND == JMPCO_JUMP_KIND_POSIX
#include "jump_posix.hpp"
#else
#include "jump_iso.hpp"
#endif

#endif  // JMPCO_LIB_JUMP_HPP
