// Jump primitive for any other compiler: ISO C setjmp/longjmp. Correct everywhere, slower where
// setjmp saves the signal mask. On Windows x64 longjmp unwinds the frames it leaves through SEH;
// that walk is untested there (see the README's support table).
#ifndef JMPCO_LIB_JUMP_ISO_HPP
#define JMPCO_LIB_JUMP_ISO_HPP

#include <csetjmp>

#include "jmpco/detail/jump_buffer.hpp"

#define JMPCO_SAVE_CONTEXT(buffer) setjmp((buffer).env)

namespace jmpco::detail {
[[noreturn]] JMPCO_NOINLINE inline void jump_into(jump_buffer& buffer) noexcept {
  std::longjmp(buffer.env, 1);
}
}  // namespace jmpco::detail

#endif  // JMPCO_LIB_JUMP_ISO_HPP
