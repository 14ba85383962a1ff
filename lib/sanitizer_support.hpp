// SPDX-License-Identifier: MIT
// What AddressSanitizer needs from a library that copies live stack frames around.
#ifndef JMPCO_LIB_SANITIZER_SUPPORT_HPP
#define JMPCO_LIB_SANITIZER_SUPPORT_HPP

#if defined(__SANITIZE_ADDRESS__)
#define JMPCO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JMPCO_ASAN 1
#endif
#endif

#if defined(JMPCO_ASAN)
#include <sanitizer/asan_interface.h>
// Stack copies read the redzones of live frames: keep them uninstrumented.
#define JMPCO_NO_ASAN __attribute__((no_sanitize_address))
#else
#define JMPCO_NO_ASAN
#endif

namespace jmpco::detail {
// Before a jump: drop the poison of every frame we leave or restore. ASan's own longjmp
// interceptor does the same; the builtin jump does not pass through it.
inline void forget_stack_poison() noexcept {
#if defined(JMPCO_ASAN)
  __asan_handle_no_return();
#endif
}
}  // namespace jmpco::detail

#endif  // JMPCO_LIB_SANITIZER_SUPPORT_HPP
