// SPDX-License-Identifier: MIT
// Compile-time configuration: which language features and which jump primitive this build uses.
//
// Every macro here depends only on the compiler, the target and the user's explicit choices, never
// on sanitizer flags, so that every translation unit of a program agrees on the layout of the
// library's types.
#ifndef JMPCO_CONFIG_HPP
#define JMPCO_CONFIG_HPP

#if !(__cplusplus >= 201703L || (defined(_MSVC_LANG) && _MSVC_LANG >= 201703L))
#error "jmpco needs C++17 or newer: compile with -std=c++17 (MSVC: /std:c++17)"
#endif

#include "jmpco/detail/unsupported_targets.hpp"

// Exceptions: errors then travel as std::exception_ptr and close() unwinds suspended stacks.
// Without them (-fno-exceptions) errors are error values and close() discards the stack.
#if !defined(JMPCO_EXCEPTIONS)
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define JMPCO_EXCEPTIONS 1
#else
#define JMPCO_EXCEPTIONS 0
#endif
#endif

// Threads. With JMPCO_THREADS=1 each thread keeps its own coroutine state in thread-local storage;
// with JMPCO_THREADS=0 there is one state in a plain static, so nothing needs a thread pointer
// (bare metal has none: ARM's __aeabi_read_tp, for one, is missing there) and only one thread may
// ever run coroutines. Define it to 0 or 1 before including any jmpco header and when building the
// library (CMake: -DJMPCO_THREADS=ON|OFF, passed on to its users), or let the C++ library decide:
// 0 where it was built without thread support (libstdc++ without gthreads, as arm-none-eabi's
// newlib build; libc++ without threads), 1 elsewhere. <cstddef> brings in the library's
// configuration macros.
#include <cstddef>
#if !defined(JMPCO_THREADS)
#if defined(__GLIBCXX__) && !defined(_GLIBCXX_HAS_GTHREADS)
#define JMPCO_THREADS 0
#elif defined(_LIBCPP_HAS_NO_THREADS)
#define JMPCO_THREADS 0
#elif defined(_LIBCPP_HAS_THREADS) && !_LIBCPP_HAS_THREADS
#define JMPCO_THREADS 0
#else
#define JMPCO_THREADS 1
#endif
#endif

// The jump primitive. Choose one explicitly by defining it to 1 before including any jmpco header
// and when building the library (CMake: -DJMPCO_JUMP=builtin|posix|iso, which the jmpco target
// passes on to its users), or let the compiler decide:
//   JMPCO_JUMP_BUILTIN  GCC's __builtin_setjmp/__builtin_longjmp (and Clang's, on x86 only): saves
//                       three words, no signal mask, no pointer mangling to pay for.
//   JMPCO_JUMP_POSIX    _setjmp/_longjmp: no signal-mask system call.
//   JMPCO_JUMP_ISO      std::setjmp/std::longjmp: the portable fallback for any other compiler.
// They are read by value: JMPCO_JUMP_BUILTIN=0 does not select the builtin. JMPCO_JUMP_KIND is the
// choice made: one of the three values below.
#define JMPCO_JUMP_KIND_BUILTIN 1
#define JMPCO_JUMP_KIND_POSIX 2
#define JMPCO_JUMP_KIND_ISO 3
#if defined(JMPCO_JUMP_BUILTIN) && (JMPCO_JUMP_BUILTIN + 0)
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_BUILTIN
#elif defined(JMPCO_JUMP_POSIX) && (JMPCO_JUMP_POSIX + 0)
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_POSIX
#elif defined(JMPCO_JUMP_ISO) && (JMPCO_JUMP_ISO + 0)
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_ISO
#elif defined(__GNUC__) && !defined(__clang__) && !defined(__INTEL_COMPILER)
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_BUILTIN
#elif defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_BUILTIN
#elif defined(__unix__) || defined(__APPLE__)
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_POSIX
#else
#define JMPCO_JUMP_KIND JMPCO_JUMP_KIND_ISO
#endif

// On 64-bit Windows the C runtime's longjmp unwinds the frames it jumps over (SEH), which reads
// return addresses that a restored stack has just overwritten: only the builtin jump is safe.
#if defined(_WIN64) && JMPCO_JUMP_KIND != JMPCO_JUMP_KIND_BUILTIN
#error "jmpco on 64-bit Windows needs the builtin jump (MinGW-w64 GCC, JMPCO_JUMP=auto or builtin)"
#endif

#if defined(__GNUC__) || defined(__clang__)
#define JMPCO_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define JMPCO_ALWAYS_INLINE __forceinline
#else
#define JMPCO_ALWAYS_INLINE inline
#endif

// A member that may share its neighbours' bytes: an empty one takes none, and the members after
// it may use its tail padding. Only a layout matter (it shrinks the coroutine object): where the
// attribute is unknown the object is merely larger.
#if defined(_MSC_VER) && !defined(__clang__)
#define JMPCO_NO_UNIQUE_ADDRESS [[msvc::no_unique_address]]
#elif defined(__has_cpp_attribute)
#if __has_cpp_attribute(no_unique_address)
#define JMPCO_NO_UNIQUE_ADDRESS [[no_unique_address]]
#endif
#endif
#if !defined(JMPCO_NO_UNIQUE_ADDRESS)
#define JMPCO_NO_UNIQUE_ADDRESS
#endif

#if defined(__GNUC__) || defined(__clang__)
#define JMPCO_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define JMPCO_NOINLINE __declspec(noinline)
#else
#define JMPCO_NOINLINE
#endif

// JMPCO_API marks what a program calls in the compiled library: a shared libjmpco (JMPCO_SHARED,
// which the jmpco target passes on to its users) is built with hidden visibility and exports only
// these; a static one leaves visibility to the program, which may hide jmpco inside its own shared
// library. On Windows the DLL itself is built with JMPCO_BUILDING_LIBRARY.
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(JMPCO_SHARED) && defined(JMPCO_BUILDING_LIBRARY)
#define JMPCO_API __declspec(dllexport)
#elif defined(JMPCO_SHARED)
#define JMPCO_API __declspec(dllimport)
#else
#define JMPCO_API
#endif
#elif (defined(__GNUC__) || defined(__clang__)) && defined(JMPCO_SHARED)
#define JMPCO_API __attribute__((visibility("default")))
#else
#define JMPCO_API
#endif

// The configuration tag. A program must be built with the library's configuration: exceptions on
// or off, the jump primitive and threads on or off change the layout of its types, and
// AddressSanitizer changes how it may copy stack frames. The library defines one symbol named after
// its configuration, and every translation unit that includes a jmpco header refers to the one
// named after its own; a mismatch fails at link time with, for example,
//   undefined reference to
//   `jmpco_library_built_with_exceptions_off_jump_builtin_asan_off_threads_on'
// (the configuration the program wanted and no library provides).
#if JMPCO_EXCEPTIONS
#define JMPCO_TAG_EXCEPTIONS exceptions_on
#else
#define JMPCO_TAG_EXCEPTIONS exceptions_off
#endif
#if JMPCO_JUMP_KIND == JMPCO_JUMP_KIND_BUILTIN
#define JMPCO_TAG_JUMP jump_builtin
#elif JMPCO_JUMP_KIND == JMPCO_JUMP_KIND_POSIX
#define JMPCO_TAG_JUMP jump_posix
#else
#define JMPCO_TAG_JUMP jump_iso
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JMPCO_TAG_ASAN asan_on
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JMPCO_TAG_ASAN asan_on
#endif
#endif
#if !defined(JMPCO_TAG_ASAN)
#define JMPCO_TAG_ASAN asan_off
#endif
#if JMPCO_THREADS
#define JMPCO_TAG_THREADS threads_on
#else
#define JMPCO_TAG_THREADS threads_off
#endif
#define JMPCO_TAG_JOIN2(a, b, c, d) jmpco_library_built_with_##a##_##b##_##c##_##d
#define JMPCO_TAG_JOIN(a, b, c, d) JMPCO_TAG_JOIN2(a, b, c, d)  // expands the parts first
#define JMPCO_CONFIGURATION_TAG \
  JMPCO_TAG_JOIN(JMPCO_TAG_EXCEPTIONS, JMPCO_TAG_JUMP, JMPCO_TAG_ASAN, JMPCO_TAG_THREADS)

extern "C" JMPCO_API const char JMPCO_CONFIGURATION_TAG;
#if defined(__GNUC__) || defined(__clang__)
namespace jmpco::detail {
namespace {
// Kept by `used` although nothing reads it: the reference is what the linker checks.
[[gnu::used]] const char* const configuration_check = &JMPCO_CONFIGURATION_TAG;
}  // namespace
}  // namespace jmpco::detail
#endif

#endif  // JMPCO_CONFIG_HPP
