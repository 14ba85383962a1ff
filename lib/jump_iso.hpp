// SPDX-License-Identifier: MIT
// Jump primitive for any other compiler: ISO C setjmp/longjmp. Correct everywhere, slower where
// setjmp saves the signal mask. On Windows x64 longjmp unwinds the frames it leaves through SEH;
// that walk is untested there (see the README's support table).
#ifndef JMPCO_LIB_JUMP_ISO_HPP
#define JMPCO_LIB_JUMP_ISO_HPP

#include <csetjmp>

#include "jmpco/detail/jump_buffer.hpp"

#define JMPCO_SAVE_CONTEXT(buffer) setjmp((buffer).env)

// Jumps to where JMPCO_SAVE_CONTEXT(buffer) was taken. A macro, so that it costs no call:
// only the switch's inner frames, never the one that saves the context, use it.
#define JMPCO_JUMP_INTO(buffer) std::longjmp((buffer).env, 1)

#endif  // JMPCO_LIB_JUMP_ISO_HPP
