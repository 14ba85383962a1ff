// SPDX-License-Identifier: MIT
// The saved register context of a coroutine. Its layout follows the jump primitive chosen in
// config.hpp; the library never reads or patches its contents (glibc mangles the pointers in it).
#ifndef JMPCO_DETAIL_JUMP_BUFFER_HPP
#define JMPCO_DETAIL_JUMP_BUFFER_HPP

#include "jmpco/config.hpp"

#if defined(JMPCO_JUMP_BUILTIN)
namespace jmpco::detail {
// __builtin_setjmp stores the frame pointer, the resume address and the stack pointer; the other
// two words are reserved by GCC's documentation of the builtin.
struct jump_buffer {
  void* words[5];
};
}  // namespace jmpco::detail
#elif defined(JMPCO_JUMP_POSIX)
#include <setjmp.h>
namespace jmpco::detail {
struct jump_buffer {
  jmp_buf env;
};
}  // namespace jmpco::detail
#else
#include <csetjmp>
namespace jmpco::detail {
struct jump_buffer {
  std::jmp_buf env;
};
}  // namespace jmpco::detail
#endif

#endif  // JMPCO_DETAIL_JUMP_BUFFER_HPP
