// SPDX-License-Identifier: MIT
// What several test files share: objects that count their constructions and destructions (so a
// test sees every destructor run exactly once), and running a test body on a fresh thread.
#ifndef JMPCO_TESTS_TEST_SUPPORT_HPP
#define JMPCO_TESTS_TEST_SUPPORT_HPP

#include "jmpco/jmpco.hpp"  // (not config.hpp: the single-header build has only jmpco.hpp)

#if JMPCO_THREADS
#include <thread>
#else
#include "thread_state.hpp"  // lib/: what a thread's exit releases
#endif

// A test that needs a second thread says so first: a build without threads (JMPCO_THREADS=0, bare
// metal) reports it as skipped, with the reason, instead of running it.
#if JMPCO_THREADS
#define JMPCO_TEST_NEEDS_THREADS() static_cast<void>(0)
#else
#define JMPCO_TEST_NEEDS_THREADS() \
  GTEST_SKIP() << "needs a second thread; this build has none (JMPCO_THREADS=0)"
#endif

// Likewise a test that needs POSIX signals and mmap (a Unix-like OS).
#if defined(__unix__) || defined(__APPLE__)
#define JMPCO_TEST_HAS_SIGNALS 1
#define JMPCO_TEST_NEEDS_SIGNALS() static_cast<void>(0)
#else
#define JMPCO_TEST_HAS_SIGNALS 0
#define JMPCO_TEST_NEEDS_SIGNALS() \
  GTEST_SKIP() << "needs POSIX signals and mmap; this target has no OS"
#endif

namespace jmpco_test {

struct counted {
  static inline int alive = 0;
  static inline int destroyed = 0;
  counted() { ++alive; }
  counted(const counted&) { ++alive; }
  ~counted() {
    --alive;
    ++destroyed;
  }
};

struct counters_reset {
  counters_reset() { counted::alive = counted::destroyed = 0; }
};

// A thread's main context keeps a scratch buffer until the thread exits: a fresh thread shows
// every block a test allocates, and its exit returns them. Without threads the one thread stands
// in: what its exit would release is released after `fn` (tests/bare_metal's runner also does so
// before each test).
template <class F>
void on_fresh_thread(F fn) {
#if JMPCO_THREADS
  std::thread(fn).join();
#else
  fn();
  jmpco::detail::release_thread_resources(jmpco::detail::this_thread_state());
#endif
}

}  // namespace jmpco_test

#endif  // JMPCO_TESTS_TEST_SUPPORT_HPP
