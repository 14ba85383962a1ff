// SPDX-License-Identifier: MIT
// jmpco's allocator on a static arena (ports/common/static_arena.hpp), as firmware without a heap
// would install it: coroutines run with every block from the arena, a full arena is reported as
// out of memory and changes nothing, and every block comes back.
#include <gtest/gtest.h>

#include <cstdint>

#include "jmpco/jmpco.hpp"
#include "static_arena.hpp"
#include "test_support.hpp"

namespace {

using sig = int(int);
using yielder = jmpco::yielder<sig>;

alignas(jmpco_port::static_arena::alignment) unsigned char buffer[16 * 1024];

struct installed_arena {
  jmpco_port::static_arena arena{buffer, sizeof buffer};
  installed_arena() { jmpco::set_allocator(arena.hooks()); }
  ~installed_arena() { jmpco::set_allocator({}); }
};

int echo_body(yielder& y, int v) {
  for (;;) v = y.yield(v + 1);
}

TEST(StaticArena, BlocksOfAnyOrderOfReleaseMergeBackIntoOne) {
  installed_arena a;
  void* first = a.arena.allocate(24);
  void* second = a.arena.allocate(100);
  void* third = a.arena.allocate(8);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(second) % jmpco_port::static_arena::alignment, 0u);
  a.arena.deallocate(second, 100);
  a.arena.deallocate(first, 24);
  a.arena.deallocate(third, 8);
  EXPECT_EQ(a.arena.free_bytes(), a.arena.capacity());
  EXPECT_NE(a.arena.allocate(a.arena.capacity()), nullptr);  // one block again
}

TEST(StaticArena, CoroutinesRunOnItAndGiveEveryBlockBack) {
  installed_arena a;
  jmpco_test::on_fresh_thread([&a] {
    jmpco::coroutine<sig> co(&echo_body);
    EXPECT_EQ(co.resume(1).value(), 2);
    EXPECT_LT(a.arena.free_bytes(), a.arena.capacity());  // the object and its copy are there
    EXPECT_EQ(co.resume(41).value(), 42);
  });
  EXPECT_EQ(a.arena.free_bytes(), a.arena.capacity());
}

TEST(StaticArena, AFullArenaIsOutOfMemoryAndChangesNothing) {
  installed_arena a;
  jmpco_test::on_fresh_thread([&a] {
    jmpco::coroutine<sig> co(&echo_body);
    ASSERT_EQ(co.resume(1).value(), 2);
    const std::size_t left = a.arena.free_bytes();
    void* rest = a.arena.allocate(left);  // nothing left for another object
    ASSERT_NE(rest, nullptr);
    jmpco::coroutine<sig> other(&echo_body);
    EXPECT_FALSE(other);
    a.arena.deallocate(rest, left);
    EXPECT_EQ(co.resume(5).value(), 6);
  });
  EXPECT_EQ(a.arena.free_bytes(), a.arena.capacity());
}

}  // namespace
