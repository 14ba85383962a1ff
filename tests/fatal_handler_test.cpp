// SPDX-License-Identifier: MIT
// Unrecoverable misuse goes to the fatal handler: an installed one gets the text and ends the
// process its own way; the default one prints "jmpco: <text>" and aborts, and so does a handler
// that returns. Each case runs in a child process (a GoogleTest death test).
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "jmpco/jmpco.hpp"

namespace {

using co_t = jmpco::coroutine<int()>;

// The misuse: a suspended coroutine destroyed by a thread that does not own it.
void destroy_a_suspended_coroutine_on_another_thread() {
  auto* suspended = new co_t([](jmpco::yielder<int()>& y) -> int {
    for (;;) y.yield(1);
  });
  if (!suspended->resume().ok()) std::_Exit(99);
  std::thread([suspended] { delete suspended; }).join();
}

constexpr int kHandlerExitCode = 42;

// How abort() ends a process: SIGABRT on POSIX, exit status 3 from the C runtime on Windows.
#if defined(_WIN32)
testing::ExitedWithCode aborted() { return testing::ExitedWithCode(3); }
#else
testing::KilledBySignal aborted() { return testing::KilledBySignal(SIGABRT); }
#endif

[[noreturn]] void print_and_exit(const char* text) {
  std::fprintf(stderr, "custom handler: %s\n", text);
  std::_Exit(kHandlerExitCode);
}

void print_and_return(const char* text) { std::fprintf(stderr, "returning handler: %s\n", text); }

TEST(FatalHandlerDeathTest, AnInstalledHandlerGetsTheTextAndEndsTheProcess) {
  EXPECT_EXIT(
      {
        jmpco::set_fatal_handler(&print_and_exit);
        destroy_a_suspended_coroutine_on_another_thread();
      },
      testing::ExitedWithCode(kHandlerExitCode),
      "custom handler: a suspended coroutine was destroyed by a thread that does not own it");
}

TEST(FatalHandlerDeathTest, TheDefaultHandlerPrintsTheTextAndAborts) {
  EXPECT_EXIT(destroy_a_suspended_coroutine_on_another_thread(), aborted(),
              "jmpco: a suspended coroutine was destroyed by a thread that does not own it");
}

TEST(FatalHandlerDeathTest, AHandlerThatReturnsIsFollowedByAnAbort) {
  EXPECT_EXIT(
      {
        jmpco::set_fatal_handler(&print_and_return);
        destroy_a_suspended_coroutine_on_another_thread();
      },
      aborted(), "returning handler: a suspended coroutine was destroyed");
}

TEST(FatalHandler, SettingReturnsThePreviousHandlerAndNullRestoresTheDefault) {
  const jmpco::fatal_handler original = jmpco::set_fatal_handler(&print_and_exit);
  ASSERT_NE(original, nullptr);
  EXPECT_EQ(jmpco::set_fatal_handler(&print_and_return), &print_and_exit);
  EXPECT_EQ(jmpco::set_fatal_handler(nullptr), &print_and_return);
  EXPECT_EQ(jmpco::set_fatal_handler(original), original);  // null put the default back
}

}  // namespace
