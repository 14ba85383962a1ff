// The C++ runtime keeps one record of caught and in-flight exceptions per thread. Coroutines share
// the thread, so each context keeps its own share and swaps it in when it runs: otherwise a yield
// inside a catch block would let the resumer see (and end) the coroutine's caught exception, and
// std::uncaught_exceptions() would count other coroutines' unwinding.
#ifndef JMPCO_LIB_EXCEPTION_STATE_HPP
#define JMPCO_LIB_EXCEPTION_STATE_HPP

#include "jmpco/core.hpp"

namespace jmpco::detail {

// The calling thread's runtime record (constant for the thread's life, so callers cache it), or
// nullptr where there is nothing to keep apart.
void* exception_state_record() noexcept;
// Stores the running context's share of `record` in `from` and installs `to`'s.
void swap_exception_state(void* record, context* from, const context* to) noexcept;
// Installs `to`'s share, dropping the running context's (it has finished).
void load_exception_state(void* record, const context* to) noexcept;

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_EXCEPTION_STATE_HPP
