// SPDX-License-Identifier: MIT
// The main thread's stack bounds on Linux come from its mapping and the stack rlimit, not from
// the part mapped so far (what musl's pthread_getattr_np reports): nesting must reach the limit on
// the main thread however little of its stack has been touched yet.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "jmpco/jmpco.hpp"
#include "stack_bounds_linux_main_thread.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#endif

namespace {

using jmpco::detail::kLinuxStackGuardGap;
using jmpco::detail::main_thread_stack_extent;
using jmpco::detail::maps_scanner;

constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};

// A maps text with the stack at [0xbf000000, 0xbf100000) and a library far below it (addresses
// that fit 32-bit targets too).
const char* const kMaps =
    "08048000-0804a000 r-xp 00000000 08:01 1234   /usr/bin/program\n"
    "b0000000-b0200000 r-xp 00000000 08:01 99     /usr/lib/arm-linux-gnueabihf/libc.so.6 with "
    "a path long enough to overflow the scanner's line buffer many times over\n"
    "bf000000-bf100000 rw-p 00000000 00:00 0      [stack]\n"
    "ffff0000-ffff1000 r-xp 00000000 00:00 0      [vectors]";

maps_scanner scan(const std::string& text, std::uintptr_t sp, std::size_t piece) {
  maps_scanner scanner(sp);
  for (std::size_t at = 0; at < text.size(); at += piece)
    scanner.feed(text.data() + at, std::min(piece, text.size() - at));
  scanner.finish();
  return scanner;
}

TEST(StackBounds, ScannerFindsTheMappingHoldingTheStackPointerWhateverThePieces) {
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    const maps_scanner scanner = scan(kMaps, 0xbf0ff000, piece);
    ASSERT_TRUE(scanner.found()) << "piece " << piece;
    EXPECT_EQ(scanner.mapping_high(), std::uintptr_t{0xbf100000});
    EXPECT_EQ(scanner.below_high(), std::uintptr_t{0xb0200000});
  }
}

TEST(StackBounds, ScannerReportsNothingForAnUnmappedAddress) {
  EXPECT_FALSE(scan(kMaps, 0x60000000, 64).found());
  EXPECT_EQ(main_thread_stack_extent(scan(kMaps, 0x60000000, 64), kUnlimited).high, 0u);
}

TEST(StackBounds, RlimitSetsTheDepthNotTheMappedPart) {
  const maps_scanner scanner = scan(kMaps, 0xbf0ff000, 512);
  const jmpco::detail::stack_bounds bounds = main_thread_stack_extent(scanner, 8u << 20);
  EXPECT_EQ(bounds.high, std::uintptr_t{0xbf100000});
  EXPECT_EQ(bounds.low, std::uintptr_t{0xbf100000} - (8u << 20));  // 8 MiB, not the 1 MiB mapped
}

TEST(StackBounds, MappingBelowStopsTheStackAGuardGapAway) {
  const std::string close_below =
      "b8000000-b8100000 rw-p 00000000 00:00 0 [heap]\n"
      "b8400000-b8500000 rw-p 00000000 00:00 0 [stack]\n";
  const maps_scanner scanner = scan(close_below, 0xb8480000, 512);
  const jmpco::detail::stack_bounds limited = main_thread_stack_extent(scanner, 8u << 20);
  EXPECT_EQ(limited.low, std::uintptr_t{0xb8100000} + kLinuxStackGuardGap);
  const jmpco::detail::stack_bounds unlimited = main_thread_stack_extent(scanner, kUnlimited);
  EXPECT_EQ(unlimited.low, limited.low);
  // No room left beyond the gap: unknown rather than wrong.
  const std::string touching =
      "b8300000-b8400000 rw-p 00000000 00:00 0 [heap]\n"
      "b8400000-b8480000 rw-p 00000000 00:00 0 [stack]\n";
  EXPECT_EQ(main_thread_stack_extent(scan(touching, 0xb8440000, 512), kUnlimited).high, 0u);
}

#if defined(__linux__)
TEST(StackBounds, LiveMainThreadBoundsHoldTheStackAndFollowTheRlimit) {
  ASSERT_TRUE(jmpco::detail::is_linux_main_thread()) << "GoogleTest runs tests on the main thread";
  const jmpco::detail::stack_bounds bounds = jmpco::detail::linux_main_thread_stack_bounds();
  char here = 0;
  const auto sp = reinterpret_cast<std::uintptr_t>(&here);
  ASSERT_NE(bounds.high, 0u);
  EXPECT_LT(bounds.low, sp);
  EXPECT_GT(bounds.high, sp);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_STACK, &limit), 0);
  if (limit.rlim_cur != RLIM_INFINITY) {
    EXPECT_LE(bounds.high - bounds.low, limit.rlim_cur);
  }
}

void* other_thread_is_not_main(void* out) {
  *static_cast<bool*>(out) = jmpco::detail::is_linux_main_thread();
  return nullptr;
}

TEST(StackBounds, OtherThreadsAreNotTheMainThread) {
  bool is_main = true;
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, nullptr, &other_thread_is_not_main, &is_main), 0);
  pthread_join(thread, nullptr);
  EXPECT_FALSE(is_main);
}
#endif

// Opaque to the optimizer, so the buffer is really on the stack.
JMPCO_NOINLINE void touch(char* buffer, std::size_t size) {
  for (std::size_t i = 0; i < size; i += 256) static_cast<volatile char*>(buffer)[i] = 1;
}

// Each level spends 2 KiB of stack and starts the next: 200 levels need about 400 KiB, more than
// the 128 KiB musl reports as the main thread's stack before it has grown.
int nest_deep(int level) {
  jmpco::coroutine<int()> next([level](jmpco::yielder<int()>&) {
    char pad[2048];
    touch(pad, sizeof pad);
    return nest_deep(level + 1) + pad[0] - 1;
  });
  jmpco::result<int> r = next.resume();
  return r.ok() ? r.value() : level;
}

TEST(StackBounds, MainThreadNests200CoroutinesBeyondItsMappedStack) {
  ASSERT_EQ(jmpco::coroutine_core::nesting_limit(), 200u);
  EXPECT_EQ(nest_deep(0), 200);  // stopped by the nesting limit, not by the stack bounds
}

}  // namespace
