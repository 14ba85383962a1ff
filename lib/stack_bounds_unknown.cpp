// SPDX-License-Identifier: MIT
// Targets whose OS cannot tell a thread's stack bounds (bare metal, RTOS): only
// the nesting limit protects the stack there. Firmware that knows its stack can set a reserve
// through coroutine_core::set_stack_reserve() once this learns the bound; see the README.
#include "thread_state.hpp"

#if !defined(__linux__) && !defined(__FreeBSD__) && !defined(__OpenBSD__) && \
    !defined(__NetBSD__) && !defined(__APPLE__) && !defined(_WIN32)
namespace jmpco::detail {
stack_bounds thread_stack_bounds() noexcept { return {0, 0}; }
}  // namespace jmpco::detail
#endif
