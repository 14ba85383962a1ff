// SPDX-License-Identifier: MIT
// Thread stack bounds on Windows (MinGW-w64 here; the same calls exist under MSVC): the stack is
// one reserved region that the system commits downward through a guard page as it is touched.
// GetCurrentThreadStackLimits (Windows 8 and later, and Wine) gives the whole reservation: from its
// bottom (the TEB's DeallocationStack) to the top (the TIB's StackBase), not only the part
// committed so far, which is what the TIB's StackLimit would say.
#include "thread_state.hpp"

#if defined(_WIN32)
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0602
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0602  // GetCurrentThreadStackLimits is declared from Windows 8 on
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

namespace jmpco::detail {

namespace {
// The bottom of the reservation is never usable: Windows keeps pages there to raise
// EXCEPTION_STACK_OVERFLOW (and to let its handler run) once the guard page comes that low.
constexpr std::uintptr_t kOverflowZone = 64 * 1024;
}  // namespace

stack_bounds thread_stack_bounds() noexcept {
  ULONG_PTR low = 0;
  ULONG_PTR high = 0;
  GetCurrentThreadStackLimits(&low, &high);
  if (high <= low + 2 * kOverflowZone) return {0, 0};
  return {static_cast<std::uintptr_t>(low) + kOverflowZone, static_cast<std::uintptr_t>(high)};
}

}  // namespace jmpco::detail
#endif
