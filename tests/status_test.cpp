// SPDX-License-Identifier: MIT
// Every state transition of Lua's model: suspended -> running -> (normal while it resumes another)
// -> suspended on yield -> dead on return, error or close.
#include <gtest/gtest.h>

#include "jmpco/jmpco.hpp"

namespace {

using jmpco::status;
using sig = void();

TEST(Status, CreatedCoroutineIsSuspended) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) {});
  EXPECT_EQ(co.status(), status::suspended);
}

TEST(Status, RunningInsideSuspendedAfterYieldDeadAfterReturn) {
  jmpco::coroutine<sig>* self = nullptr;
  status seen_inside = status::dead;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) {
    seen_inside = self->status();
    y.yield();
  });
  self = &co;
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(seen_inside, status::running);
  EXPECT_EQ(co.status(), status::suspended);
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Status, ResumerIsNormalWhileItsChildRuns) {
  jmpco::coroutine<sig>* outer_handle = nullptr;
  status outer_seen_by_inner = status::dead;
  jmpco::coroutine<sig> outer([&](jmpco::yielder<sig>&) {
    jmpco::coroutine<sig> inner(
        [&](jmpco::yielder<sig>&) { outer_seen_by_inner = outer_handle->status(); });
    EXPECT_TRUE(inner.resume().ok());
    EXPECT_EQ(outer_handle->status(), status::running);  // running again once the child is done
  });
  outer_handle = &outer;
  ASSERT_TRUE(outer.resume().ok());
  EXPECT_EQ(outer_seen_by_inner, status::normal);
}

TEST(Status, DeadAfterError) {
  jmpco::coroutine<sig> co(
      [](jmpco::yielder<sig>&) { jmpco::this_coroutine::raise(jmpco::error(1, "boom")); });
  jmpco::result<void> r = co.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Status, DeadAfterCloseOfSuspended) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y) { y.yield(); });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Status, RunningAndYieldableQueries) {
  EXPECT_EQ(jmpco::this_coroutine::running(), nullptr);
  EXPECT_FALSE(jmpco::this_coroutine::is_yieldable());
  jmpco::coroutine<sig>* self = nullptr;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>&) {
    EXPECT_EQ(jmpco::this_coroutine::running(), self->core());
    EXPECT_TRUE(jmpco::this_coroutine::is_yieldable());
  });
  self = &co;
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(jmpco::this_coroutine::running(), nullptr);
}

TEST(Status, EmptyHandleReportsDeadAndRefusesResume) {
  jmpco::coroutine<sig> empty;
  EXPECT_EQ(empty.status(), status::dead);
  EXPECT_EQ(empty.resume().code(), jmpco::errc::empty_handle);
}

}  // namespace
