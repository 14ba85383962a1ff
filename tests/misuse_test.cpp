// SPDX-License-Identifier: MIT
// Every misuse gets a clear error with Lua's wording, and changes nothing.
#include <gtest/gtest.h>

#include <cstring>
#include <type_traits>

#include "jmpco/jmpco.hpp"

namespace {

using jmpco::errc;
using jmpco::status;
using sig = void();

TEST(Misuse, ResumeDeadCoroutine) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) {});
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> r = co.resume();
  EXPECT_EQ(r.code(), errc::dead_coroutine);
  EXPECT_STREQ(r.error().what(), "cannot resume dead coroutine");
}

TEST(Misuse, ResumeRunningCoroutine) {
  jmpco::coroutine<sig>* self = nullptr;
  jmpco::errc seen = errc::ok;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>&) { seen = self->resume().code(); });
  self = &co;
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(seen, errc::non_suspended);
  EXPECT_STREQ(jmpco::message(seen), "cannot resume non-suspended coroutine");
}

TEST(Misuse, ResumeNormalCoroutine) {
  jmpco::coroutine<sig>* outer_handle = nullptr;
  jmpco::errc seen = errc::ok;
  jmpco::coroutine<sig> outer([&](jmpco::yielder<sig>&) {
    jmpco::coroutine<sig> inner(
        [&](jmpco::yielder<sig>&) { seen = outer_handle->resume().code(); });
    EXPECT_TRUE(inner.resume().ok());
  });
  outer_handle = &outer;
  ASSERT_TRUE(outer.resume().ok());
  EXPECT_EQ(seen, errc::non_suspended);
  EXPECT_EQ(outer.status(), status::dead);
}

TEST(Misuse, YieldOutsideACoroutine) {
  jmpco::result<void> r = jmpco::this_coroutine::try_yield<sig>();
  EXPECT_EQ(r.code(), errc::yield_outside);
  EXPECT_STREQ(r.error().what(), "attempt to yield from outside a coroutine");
}

TEST(Misuse, YielderUsedOutsideItsCoroutine) {
  // The yielder is a part of the coroutine object, so it outlives the body's stack frames; used
  // from anywhere but its own running coroutine, it refuses.
  jmpco::yielder<sig>* leaked = nullptr;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) {
    leaked = &y;
    y.yield();
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(leaked->try_yield().code(), errc::yield_outside);  // from the main context
  EXPECT_EQ(co.status(), status::suspended);
  jmpco::coroutine<sig> other([&](jmpco::yielder<sig>&) {
    EXPECT_EQ(leaked->try_yield().code(), errc::yield_outside);  // from another coroutine
  });
  EXPECT_TRUE(other.resume().ok());
  EXPECT_TRUE(co.resume().ok());
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(leaked->try_yield().code(), errc::yield_outside);  // after its coroutine died
}

// A body gets its yielder by reference and cannot copy it: a copy would be a yielder of no
// coroutine.
static_assert(!std::is_copy_constructible_v<jmpco::yielder<sig>>);
static_assert(!std::is_copy_assignable_v<jmpco::yielder<sig>>);

TEST(Misuse, CloseRunningCoroutine) {
  jmpco::coroutine<sig>* self = nullptr;
  jmpco::errc seen = errc::ok;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>&) { seen = self->close().code(); });
  self = &co;
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(seen, errc::close_running);
  EXPECT_STREQ(jmpco::message(seen), "cannot close a running coroutine");
}

TEST(Misuse, CloseNormalCoroutine) {
  jmpco::coroutine<sig>* outer_handle = nullptr;
  jmpco::errc seen = errc::ok;
  jmpco::coroutine<sig> outer([&](jmpco::yielder<sig>&) {
    jmpco::coroutine<sig> inner([&](jmpco::yielder<sig>&) { seen = outer_handle->close().code(); });
    EXPECT_TRUE(inner.resume().ok());
  });
  outer_handle = &outer;
  ASSERT_TRUE(outer.resume().ok());
  EXPECT_EQ(seen, errc::close_normal);
  EXPECT_STREQ(jmpco::message(seen), "cannot close a normal coroutine");
}

TEST(Misuse, UntypedYieldWithTheWrongSignature) {
  jmpco::errc seen = errc::ok;
  jmpco::coroutine<int()> co([&](jmpco::yielder<int()>&) {
    seen = jmpco::this_coroutine::try_yield<void()>().code();  // this coroutine yields int
    return 7;
  });
  EXPECT_EQ(co.resume().value(), 7);
  EXPECT_EQ(seen, errc::type_mismatch);
}

TEST(Misuse, UntypedYieldWithTheRightSignatureWorks) {
  jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>&, int x) {
    // Deep in a call tree that has no yielder at hand.
    jmpco::result<int> back = jmpco::this_coroutine::try_yield<int(int)>(x + 1);
    return back.value() * 2;
  });
  EXPECT_EQ(co.resume(1).value(), 2);
  EXPECT_EQ(co.resume(21).value(), 42);
}

TEST(Misuse, ResumeOfEmptyHandle) {
  jmpco::coroutine<sig> a([](jmpco::yielder<sig>&) {});
  jmpco::coroutine<sig> b(std::move(a));
  EXPECT_EQ(a.resume().code(), errc::empty_handle);  // NOLINT: testing the moved-from state
  EXPECT_TRUE(b.resume().ok());
}

}  // namespace

namespace {

TEST(Misuse, MisuseInsideABodyKillsItAndIsNotReportedAsAMisuseOfTheResume) {
  // Calling a dead wrap inside a coroutine raises Lua's message there; the resumer sees a death.
  auto once = jmpco::wrap<void()>([](jmpco::yielder<void()>&) {});
  once();
  jmpco::coroutine<sig> caller([&](jmpco::yielder<sig>&) { once(); });
  jmpco::result<void> r = caller.resume();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().is_misuse());
  EXPECT_EQ(r.code(), errc::raised);
  EXPECT_STREQ(r.error().what(), "cannot resume dead coroutine");
  EXPECT_EQ(caller.status(), status::dead);
}

}  // namespace
