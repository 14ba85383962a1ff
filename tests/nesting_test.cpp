// SPDX-License-Identifier: MIT
// Nested resumes run to the configured limit; past it, and when the thread's stack runs short,
// resume fails with "C stack overflow" and nothing is corrupted.
#include <gtest/gtest.h>

#include <cstddef>

#include "jmpco/jmpco.hpp"

#if defined(_WIN32)
#include <windows.h>
#elif defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace {

using jmpco::errc;
using sig = int();

// Restores the thread's limits after a test changes them.
struct limits_guard {
  unsigned limit = jmpco::coroutine_core::nesting_limit();
  std::size_t reserve = jmpco::coroutine_core::stack_reserve();
  ~limits_guard() {
    jmpco::coroutine_core::set_nesting_limit(limit);
    jmpco::coroutine_core::set_stack_reserve(reserve);
  }
};

struct chain_report {
  int deepest = 0;          // how many coroutines ran nested
  errc failure = errc::ok;  // what the resume one level further returned
  jmpco::status failed_status = jmpco::status::dead;
};

// Opaque to the optimizer, so the whole buffer must really be on the stack.
JMPCO_NOINLINE void touch_pages(char* buffer, std::size_t size) {
  for (std::size_t i = 0; i < size; i += 256) static_cast<volatile char*>(buffer)[i] = 0;
}

// Each level starts a coroutine that starts the next; returns the depth reached below.
int nest(int level, chain_report& report, int padding_bytes) {
  report.deepest = level;
  jmpco::coroutine<sig> next([&report, level, padding_bytes](jmpco::yielder<sig>&) {
    char pad[8192];  // spends thread stack at each level when asked to
    touch_pages(pad, padding_bytes > 0 ? sizeof pad : 1);
    const int below = nest(level + 1, report, padding_bytes);
    return below + pad[0];  // read after the call: the frame (and its pad) must stay
  });
  jmpco::result<int> r = next.resume();
  if (!r.ok()) {
    if (report.failure == errc::ok) {
      report.failure = r.code();
      report.failed_status = next.status();
    }
    return level;
  }
  return r.value();
}

TEST(Nesting, DefaultLimitIs200NestedCoroutines) {
  EXPECT_EQ(jmpco::coroutine_core::nesting_limit(), 200u);
  chain_report report;
  nest(0, report, 0);
  EXPECT_EQ(report.deepest, 200);
  EXPECT_EQ(report.failure, errc::c_stack_overflow);
  EXPECT_STREQ(jmpco::message(report.failure), "C stack overflow");
  // The coroutine whose resume overflowed never started: it is still suspended and intact.
  EXPECT_EQ(report.failed_status, jmpco::status::suspended);
}

TEST(Nesting, ConfigurableLimitIsHitExactly) {
  limits_guard restore;
  for (unsigned limit : {1u, 2u, 10u, 57u}) {
    jmpco::coroutine_core::set_nesting_limit(limit);
    chain_report report;
    nest(0, report, 0);
    EXPECT_EQ(report.deepest, static_cast<int>(limit));
    EXPECT_EQ(report.failure, errc::c_stack_overflow);
  }
}

TEST(Nesting, OverflowedCoroutineResumesLaterFromAShallowerLevel) {
  limits_guard restore;
  jmpco::coroutine_core::set_nesting_limit(3);
  jmpco::coroutine<sig> victim([](jmpco::yielder<sig>&) { return 99; });
  jmpco::coroutine<sig> l1([&](jmpco::yielder<sig>&) {
    jmpco::coroutine<sig> l2([&](jmpco::yielder<sig>&) {
      jmpco::coroutine<sig> l3(
          [&](jmpco::yielder<sig>&) { return static_cast<int>(victim.resume().code()); });
      return l3.resume().value();
    });
    return l2.resume().value();
  });
  EXPECT_EQ(l1.resume().value(), static_cast<int>(errc::c_stack_overflow));
  EXPECT_EQ(victim.status(), jmpco::status::suspended);
  EXPECT_EQ(victim.resume().value(), 99);
}

TEST(Nesting, LevelsSpentByALayerCountTowardsTheLimit) {
  limits_guard restore;
  jmpco::coroutine_core::set_nesting_limit(5);
  EXPECT_EQ(jmpco::coroutine_core::level(), 0u);
  ASSERT_EQ(jmpco::coroutine_core::enter_level(), errc::ok);  // like Lua's pcall
  ASSERT_EQ(jmpco::coroutine_core::enter_level(), errc::ok);
  EXPECT_EQ(jmpco::coroutine_core::level(), 2u);
  chain_report report;
  nest(0, report, 0);
  EXPECT_EQ(report.deepest, 3);
  jmpco::coroutine_core::leave_level();
  jmpco::coroutine_core::leave_level();
  EXPECT_EQ(jmpco::coroutine_core::level(), 0u);
}

TEST(Nesting, LevelInsideACoroutineIsOneAboveItsResumer) {
  unsigned inside = 0;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>&) {
    inside = jmpco::coroutine_core::level();
    return 0;
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(inside, 1u);
}

#if defined(__unix__) || defined(__APPLE__) || defined(_WIN32)
// On a thread with a small stack, a deep chain must stop with an error before it faults.
void deep_chain_on_small_stack(chain_report& report) {
  jmpco::coroutine_core::set_nesting_limit(100000);
  jmpco::coroutine_core::set_stack_reserve(64 * 1024);
  nest(0, report, 8192);
}

#if defined(_WIN32)
// Windows: CreateThread with the size as the reservation (winpthreads would take it as the
// initial commit and reserve the program's default, 2 MiB, around it).
DWORD WINAPI deep_chain_thread(void* out) {
  deep_chain_on_small_stack(*static_cast<chain_report*>(out));
  return 0;
}

void run_on_small_stack(std::size_t size, chain_report& report) {
  HANDLE thread = CreateThread(nullptr, size, &deep_chain_thread, &report,
                               STACK_SIZE_PARAM_IS_A_RESERVATION, nullptr);
  ASSERT_NE(thread, nullptr);
  WaitForSingleObject(thread, INFINITE);
  CloseHandle(thread);
}
#else
void* deep_chain_thread(void* out) {
  deep_chain_on_small_stack(*static_cast<chain_report*>(out));
  return nullptr;
}

void run_on_small_stack(std::size_t size, chain_report& report) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, &deep_chain_thread, &report), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}
#endif

TEST(Nesting, RunningShortOfThreadStackFailsCleanly) {
#if defined(_WIN32)
  constexpr std::size_t size = 1024 * 1024;  // Wine reserves at least 1 MiB for a thread's stack
#else
  constexpr std::size_t size = 512 * 1024;
#endif
  chain_report report;
  run_on_small_stack(size, report);
  EXPECT_EQ(report.failure, errc::c_stack_overflow);
  EXPECT_GT(report.deepest, 5);
  EXPECT_LT(report.deepest, static_cast<int>(size / 8192));  // each level holds 8 KiB
}
#elif defined(__ELF__) && !defined(__unix__)
// Bare metal: the one stack is the one the linker script bounds (a couple of MiB on the test
// boards, lib/stack_bounds_linker_script.cpp); a deep chain must stop with an error before it
// runs off its bottom.
TEST(Nesting, RunningShortOfThreadStackFailsCleanly) {
  const unsigned limit = jmpco::coroutine_core::nesting_limit();
  jmpco::coroutine_core::set_nesting_limit(100000);
  chain_report report;
  nest(0, report, 8192);
  jmpco::coroutine_core::set_nesting_limit(limit);
  EXPECT_EQ(report.failure, errc::c_stack_overflow);
  EXPECT_GT(report.deepest, 5);
}
#else
TEST(Nesting, RunningShortOfThreadStackFailsCleanly) {
  GTEST_SKIP() << "this target's stack bounds are unknown: a deep chain would fault";
}
#endif

}  // namespace
