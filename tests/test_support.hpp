// SPDX-License-Identifier: MIT
// What several test files share: objects that count their constructions and destructions (so a
// test sees every destructor run exactly once), and running a test body on a fresh thread.
#ifndef JMPCO_TESTS_TEST_SUPPORT_HPP
#define JMPCO_TESTS_TEST_SUPPORT_HPP

#include <thread>

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
// every block a test allocates, and its exit returns them.
template <class F>
void on_fresh_thread(F fn) {
  std::thread(fn).join();
}

}  // namespace jmpco_test

#endif  // JMPCO_TESTS_TEST_SUPPORT_HPP
