// SPDX-License-Identifier: MIT
// Jump primitive for POSIX systems where the compiler has no usable __builtin_setjmp (e.g. Clang
// on AArch64): _setjmp/_longjmp, which skip the signal-mask system call that setjmp makes on BSD
// and macOS. With _FORTIFY_SOURCE glibc checks each longjmp goes to a shallower frame; ours do.
#ifndef JMPCO_LIB_JUMP_POSIX_HPP
#define JMPCO_LIB_JUMP_POSIX_HPP

#include <setjmp.h>

#include "jmpco/detail/jump_buffer.hpp"

#define JMPCO_SAVE_CONTEXT(buffer) _setjmp((buffer).env)

// Jumps to where JMPCO_SAVE_CONTEXT(buffer) was taken. A macro, so that it costs no call:
// only the switch's inner frames, never the one that saves the context, use it.
#define JMPCO_JUMP_INTO(buffer) _longjmp((buffer).env, 1)

#endif  // JMPCO_LIB_JUMP_POSIX_HPP
