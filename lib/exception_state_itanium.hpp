// SPDX-License-Identifier: MIT
// Per-coroutine exception state for the Itanium C++ ABI (GCC's libstdc++ and LLVM's libc++abi on
// every ELF and Mach-O target, and libstdc++ on Windows with MinGW-w64): the per-thread record is
// __cxa_eh_globals, reached through __cxa_get_globals(). Its layout is fixed by that ABI; ARM's
// EHABI adds one field. Inline: it runs on every switch.
//
// It is the only per-thread exception state outside a throw in progress with DWARF unwinding
// (the frame tables are per module, not per thread) and with MinGW-w64's SEH unwinding on x86-64:
// a throw there is a RaiseException whose dispatch walks the stack from the unwind tables and ends,
// at the landing pad, before any user code of the catch runs, leaving nothing in the TEB. (A yield
// from a destructor during that unwinding carries the dispatcher's frames with the coroutine's
// stack, like any other frames.) MinGW's 32-bit SEH chain (the TIB's ExceptionList) is not used by
// libstdc++'s DWARF-2 unwinder. SJLJ unwinding keeps another record; see exception_state.hpp.
#ifndef JMPCO_LIB_EXCEPTION_STATE_ITANIUM_HPP
#define JMPCO_LIB_EXCEPTION_STATE_ITANIUM_HPP

#include <cxxabi.h>

#include <cstdint>

#include "jmpco/core.hpp"

namespace jmpco::detail {

struct itanium_eh_globals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
#if defined(__ARM_EABI_UNWINDER__)
  void* propagating_exceptions;
#endif
};

inline void* exception_state_record() noexcept { return abi::__cxa_get_globals(); }

inline void install_exception_state(void* record, const context* to) noexcept {
  auto& g = *static_cast<itanium_eh_globals*>(record);
  g.caught_exceptions = to->caught_exceptions;
  g.uncaught_exceptions = to->uncaught_exceptions;
#if defined(__ARM_EABI_UNWINDER__)
  g.propagating_exceptions = to->propagating_exceptions;
#endif
}

inline void swap_exception_state(void* record, context* from, const context* to) noexcept {
  const auto& g = *static_cast<const itanium_eh_globals*>(record);
  from->caught_exceptions = g.caught_exceptions;
  from->uncaught_exceptions = g.uncaught_exceptions;
#if defined(__ARM_EABI_UNWINDER__)
  from->propagating_exceptions = g.propagating_exceptions;
#endif
  install_exception_state(record, to);
}

inline void load_exception_state(void* record, const context* to) noexcept {
  install_exception_state(record, to);
}

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_EXCEPTION_STATE_ITANIUM_HPP
