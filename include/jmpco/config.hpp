// SPDX-License-Identifier: MIT
// Compile-time configuration: which language features and which jump primitive this build uses.
//
// Every macro here depends only on the compiler, the target and the user's explicit choices, never
// on sanitizer flags, so that every translation unit of a program agrees on the layout of the
// library's types.
#ifndef JMPCO_CONFIG_HPP
#define JMPCO_CONFIG_HPP

// Exceptions: errors then travel as std::exception_ptr and close() unwinds suspended stacks.
// Without them (-fno-exceptions) errors are error values and close() discards the stack.
#if !defined(JMPCO_EXCEPTIONS)
#  if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#    define JMPCO_EXCEPTIONS 1
#  else
#    define JMPCO_EXCEPTIONS 0
#  endif
#endif

// The jump primitive. Choose one explicitly by defining it to 1 before including any jmpco header
// (and when building the library), or let the compiler decide:
//   JMPCO_JUMP_BUILTIN  GCC's __builtin_setjmp/__builtin_longjmp (and Clang's, on x86 only): saves
//                       three words, no signal mask, no pointer mangling to pay for.
//   JMPCO_JUMP_POSIX    _setjmp/_longjmp: no signal-mask system call.
//   JMPCO_JUMP_ISO      std::setjmp/std::longjmp: the portable fallback for any other compiler.
#if !defined(JMPCO_JUMP_BUILTIN) && !defined(JMPCO_JUMP_POSIX) && !defined(JMPCO_JUMP_ISO)
#  if defined(__GNUC__) && !defined(__clang__) && !defined(__INTEL_COMPILER)
#    define JMPCO_JUMP_BUILTIN 1
#  elif defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#    define JMPCO_JUMP_BUILTIN 1
#  elif defined(__unix__) || defined(__APPLE__)
#    define JMPCO_JUMP_POSIX 1
#  else
#    define JMPCO_JUMP_ISO 1
#  endif
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define JMPCO_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#  define JMPCO_NOINLINE __declspec(noinline)
#else
#  define JMPCO_NOINLINE
#endif

#endif  // JMPCO_CONFIG_HPP
