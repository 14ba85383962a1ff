// SPDX-License-Identifier: MIT
// Jump primitive for GCC (any target) and Clang (x86 only): __builtin_setjmp/__builtin_longjmp.
// The function that calls __builtin_setjmp saves every callee-saved register in its own frame, so
// the builtin itself only records the frame pointer, stack pointer and resume address: cheaper
// than any libc setjmp, and with no pointer mangling or signal mask involved.
#ifndef JMPCO_LIB_JUMP_GCC_BUILTIN_HPP
#define JMPCO_LIB_JUMP_GCC_BUILTIN_HPP

#include "jmpco/detail/jump_buffer.hpp"

// Must be expanded directly in the function whose frame is resumed (a macro, not a function).
#define JMPCO_SAVE_CONTEXT(buffer) __builtin_setjmp((buffer).words)

// Jumps to where JMPCO_SAVE_CONTEXT(buffer) was taken. A macro, so that it costs no call:
// GCC forbids it in the very function that calls JMPCO_SAVE_CONTEXT, so only the switch's inner
// frames use it.
#define JMPCO_JUMP_INTO(buffer) __builtin_longjmp((buffer).words, 1)

#endif  // JMPCO_LIB_JUMP_GCC_BUILTIN_HPP
