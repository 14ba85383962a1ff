// SPDX-License-Identifier: MIT
// Selects the jump primitive that config.hpp chose for this compiler and target.
#ifndef JMPCO_LIB_JUMP_HPP
#define JMPCO_LIB_JUMP_HPP

#include "jmpco/config.hpp"

#if defined(JMPCO_JUMP_BUILTIN)
#include "jump_gcc_builtin.hpp"
#elif defined(JMPCO_JUMP_POSIX)
#include "jump_posix.hpp"
#else
#include "jump_iso.hpp"
#endif

#endif  // JMPCO_LIB_JUMP_HPP
