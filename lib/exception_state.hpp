// SPDX-License-Identifier: MIT
// The C++ runtime keeps one record of caught and in-flight exceptions per thread. Coroutines share
// the thread, so each context keeps its own share and swaps it in when it runs: otherwise a yield
// inside a catch block would let the resumer see (and end) the coroutine's caught exception, and
// std::uncaught_exceptions() would count other coroutines' unwinding.
//
// Each variant defines:
//   void* exception_state_record()   the calling thread's runtime record (constant for the
//                                    thread's life, so callers cache it), or nullptr
//   void swap_exception_state(void* record, context* from, const context* to)
//                                    stores the running context's share in `from`, installs `to`'s
//   void load_exception_state(void* record, const context* to)
//                                    installs `to`'s share, dropping the running context's
#ifndef JMPCO_LIB_EXCEPTION_STATE_HPP
#define JMPCO_LIB_EXCEPTION_STATE_HPP

#include "jmpco/config.hpp"

#if JMPCO_EXCEPTIONS && defined(__USING_SJLJ_EXCEPTIONS__)
// setjmp/longjmp unwinding (GCC's --enable-sjlj-exceptions, e.g. some i686 MinGW builds) keeps a
// second per-thread record: the chain of registered function contexts, one per frame with
// cleanups. Frames of different coroutines would link into one chain and a throw would run the
// wrong handlers, so refuse the build rather than let that happen.
#error \
    "jmpco: SJLJ exception unwinding is not supported (use a DWARF-2 or SEH toolchain, or -fno-exceptions)"
#elif JMPCO_EXCEPTIONS && defined(__GNUC__) && (!defined(_WIN32) || defined(__MINGW32__))
// GCC and Clang use the Itanium C++ ABI's exception runtime everywhere but with MSVC's: MinGW's
// libstdc++ included (SEH unwinding on x86-64, DWARF-2 on i686; see the variant's header).
#include "exception_state_itanium.hpp"
#else
#include "exception_state_none.hpp"
#endif

#endif  // JMPCO_LIB_EXCEPTION_STATE_HPP
