// SPDX-License-Identifier: MIT
// Targets whose OS cannot tell a thread's stack bounds (other Unix systems, RTOS builds that are
// not plain ELF): only the nesting limit protects the stack there. Bare-metal ELF targets take the
// bounds from the linker script instead (stack_bounds_linker_script.cpp).
#include "thread_state.hpp"

#if !defined(__linux__) && !defined(__FreeBSD__) && !defined(__OpenBSD__) && \
    !defined(__NetBSD__) && !defined(__APPLE__) && !defined(_WIN32) &&       \
    !(defined(__ELF__) && !defined(__unix__))
namespace jmpco::detail {
stack_bounds thread_stack_bounds() noexcept { return {0, 0}; }
}  // namespace jmpco::detail
#endif
