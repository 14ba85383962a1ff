// SPDX-License-Identifier: MIT
// JMPCO_ASSERT: the core's invariants, checked where the build asks for it and compiled out
// elsewhere. On by default unless NDEBUG is defined (debug, asan, valgrind and fortify presets);
// -DJMPCO_ASSERTIONS=1 or =0 decides explicitly (the fuzz preset turns them on). A failed check is
// a bug in jmpco: it goes to the fatal handler with the condition and its place.
#ifndef JMPCO_LIB_ASSERT_HPP
#define JMPCO_LIB_ASSERT_HPP

#include "jmpco/error.hpp"

#if !defined(JMPCO_ASSERTIONS)
#if defined(NDEBUG)
#define JMPCO_ASSERTIONS 0
#else
#define JMPCO_ASSERTIONS 1
#endif
#endif

#define JMPCO_ASSERT_STRINGIFY2(x) #x
#define JMPCO_ASSERT_STRINGIFY(x) JMPCO_ASSERT_STRINGIFY2(x)

#if JMPCO_ASSERTIONS
#define JMPCO_ASSERT(condition)                                                               \
  ((condition)                                                                                \
       ? static_cast<void>(0)                                                                 \
       : ::jmpco::detail::fail_fatally("internal invariant broken: " #condition " (" __FILE__ \
                                       ":" JMPCO_ASSERT_STRINGIFY(__LINE__) ")"))
#else
#define JMPCO_ASSERT(condition) static_cast<void>(0)
#endif

#endif  // JMPCO_LIB_ASSERT_HPP
