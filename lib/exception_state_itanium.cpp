// Per-coroutine exception state for the Itanium C++ ABI (GCC's libstdc++ and LLVM's libc++abi on
// every ELF and Mach-O target): the per-thread record is __cxa_eh_globals, reached through
// __cxa_get_globals(). Its layout is fixed by that ABI; ARM's EHABI adds one field.
#include "exception_state.hpp"

#if JMPCO_EXCEPTIONS && defined(__GNUC__) && !defined(_WIN32)
#include <cxxabi.h>

namespace jmpco::detail {
namespace {

struct itanium_eh_globals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
#if defined(__ARM_EABI_UNWINDER__)
  void* propagating_exceptions;
#endif
};

void store(const itanium_eh_globals& g, void* (&share)[3]) noexcept {
  share[0] = g.caught_exceptions;
  share[1] = reinterpret_cast<void*>(static_cast<std::uintptr_t>(g.uncaught_exceptions));
#if defined(__ARM_EABI_UNWINDER__)
  share[2] = g.propagating_exceptions;
#endif
}

void install(itanium_eh_globals& g, void* const (&share)[3]) noexcept {
  g.caught_exceptions = share[0];
  g.uncaught_exceptions = static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(share[1]));
#if defined(__ARM_EABI_UNWINDER__)
  g.propagating_exceptions = share[2];
#endif
}

}  // namespace

void* exception_state_record() noexcept { return abi::__cxa_get_globals(); }

void swap_exception_state(void* record, context* from, const context* to) noexcept {
  auto* g = static_cast<itanium_eh_globals*>(record);
  store(*g, from->eh_state);
  install(*g, to->eh_state);
}

void load_exception_state(void* record, const context* to) noexcept {
  install(*static_cast<itanium_eh_globals*>(record), to->eh_state);
}

}  // namespace jmpco::detail

#else
// Without exceptions there is nothing to keep apart. Other ABIs (MSVC) are not supported with
// exceptions yet: see the README.
namespace jmpco::detail {
void* exception_state_record() noexcept { return nullptr; }
void swap_exception_state(void*, context*, const context*) noexcept {}
void load_exception_state(void*, const context*) noexcept {}
}  // namespace jmpco::detail
#endif
