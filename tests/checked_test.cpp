// SPDX-License-Identifier: MIT
// Checked mode (lib/checked_mode.hpp): patterns the README calls invalid fail the same way every
// time. These tests only build where the library is checked (not in release builds).
#include <gtest/gtest.h>

#include <cstddef>
#include <string_view>

#include "checked_mode.hpp"
#include "jmpco/jmpco.hpp"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define JMPCO_TEST_UNDER_VALGRIND() (RUNNING_ON_VALGRIND != 0)
#else
#define JMPCO_TEST_UNDER_VALGRIND() false
#endif

namespace {

#if JMPCO_CHECKED

// Invalid: a view into a generator's local, read while the generator is suspended. Its bytes
// have been saved away, and what is left on the stack is the pattern, not the old string.
TEST(Checked, ViewIntoASuspendedGeneratorsLocalReadsThePattern) {
  if (JMPCO_TEST_UNDER_VALGRIND())
    GTEST_SKIP() << "memcheck rightly reports the read below the stack pointer";
  std::string_view view;
  jmpco::generator<int> numbers([&view](jmpco::yielder<int()>& y) {
    char local[] = "a local of the generator";
    view = std::string_view(local, sizeof local - 1);
    y.yield(1);
  });
  auto it = numbers.begin();
  ASSERT_EQ(*it, 1);
  // Read without calls that would put frames over the bytes read.
  const char* bytes = view.data();
  const std::size_t size = view.size();
  std::size_t pattern_bytes = 0;
  for (std::size_t i = 0; i < size; ++i)
    pattern_bytes += static_cast<unsigned char>(bytes[i]) == jmpco::detail::kVacatedStackByte;
  EXPECT_EQ(pattern_bytes, size);
}

#endif

// Invalid: a yielder smuggled out of its coroutine and used by another one (or after its own
// has finished). The yielder lives in its coroutine object, so the check never reads stale bytes.
TEST(Checked, YielderUsedByAnotherCoroutineRefusesToYield) {
  jmpco::yielder<int()>* smuggled = nullptr;
  jmpco::coroutine<int()> owner([&smuggled](jmpco::yielder<int()>& y) {
    smuggled = &y;
    y.yield(1);
    return 2;
  });
  ASSERT_EQ(owner.resume().value(), 1);
  jmpco::coroutine<int()> thief([&smuggled]() {
    return [&smuggled](jmpco::yielder<int()>&) {
      jmpco::result<void> r = smuggled->try_yield(7);
      EXPECT_EQ(r.code(), jmpco::errc::yield_outside);
      return 3;
    };
  }());
  EXPECT_EQ(thief.resume().value(), 3);
  EXPECT_EQ(owner.resume().value(), 2);
  EXPECT_EQ(owner.status(), jmpco::status::dead);
}

}  // namespace
