// SPDX-License-Identifier: MIT
// An error escaping the body kills the coroutine and comes back from resume untouched; nothing
// unwinds through the resumer's frames by accident.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "jmpco/jmpco.hpp"

namespace {

using jmpco::errc;
using sig = int();

struct custom_failure {
  int code;
};

TEST(Errors, StdExceptionComesBackAndRethrowsAsItself) {
  jmpco::coroutine<sig> co(
      [](jmpco::yielder<sig>&) -> int { throw std::runtime_error("bad thing"); });
  jmpco::result<int> r = co.resume();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::exception);
  EXPECT_STREQ(r.error().what(), "bad thing");
  EXPECT_THROW(r.error().rethrow(), std::runtime_error);
  EXPECT_EQ(co.status(), jmpco::status::dead);
}

TEST(Errors, NonStdExceptionTypesSurvive) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y) -> int {
    y.yield(1);
    throw custom_failure{42};
  });
  EXPECT_EQ(co.resume().value(), 1);
  jmpco::result<int> r = co.resume();
  try {
    r.error().rethrow();
    FAIL() << "rethrow returned";
  } catch (const custom_failure& f) {
    EXPECT_EQ(f.code, 42);
  }
}

TEST(Errors, ThrownIntegerSurvives) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) -> int { throw 17; });
  jmpco::result<int> r = co.resume();
  EXPECT_STREQ(r.error().what(), "coroutine raised an exception");
  try {
    r.error().rethrow();
  } catch (int v) {
    EXPECT_EQ(v, 17);
  }
}

TEST(Errors, RaisedErrorValueKeepsItsCodeAndText) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) -> int {
    jmpco::this_coroutine::raise(jmpco::error(404, "not found"));
  });
  jmpco::result<int> r = co.resume();
  EXPECT_EQ(r.code(), errc::raised);
  EXPECT_EQ(r.error().user_code(), 404);
  EXPECT_STREQ(r.error().what(), "not found");
}

TEST(Errors, ValueOfFailedResultThrowsInTheCaller) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) -> int { throw std::logic_error("x"); });
  jmpco::result<int> r = co.resume();
  EXPECT_THROW(r.value(), std::logic_error);
}

TEST(Errors, MisuseRethrowsAsCoroutineError) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) { return 1; });
  EXPECT_EQ(co.resume().value(), 1);
  try {
    co.resume().value();
    FAIL() << "no throw";
  } catch (const jmpco::coroutine_error& e) {
    EXPECT_EQ(e.error().code(), errc::dead_coroutine);
    EXPECT_STREQ(e.what(), "cannot resume dead coroutine");
  }
}

TEST(Errors, ErrorPassesThroughTheResumersOwnTryBlocks) {
  // The body's exception must reach resume's result, not a catch block around resume.
  bool caught_outside = false;
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) -> int { throw std::runtime_error("inside"); });
  try {
    jmpco::result<int> r = co.resume();
    EXPECT_FALSE(r.ok());
  } catch (...) {
    caught_outside = true;
  }
  EXPECT_FALSE(caught_outside);
}

TEST(Errors, ErrorAfterManyYieldsFromDeepInside) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y) -> int {
    std::string local = "a string long enough to live on the heap, not in the SSO buffer";
    for (int i = 0; i < 100; ++i) y.yield(i);
    throw std::runtime_error(local);
  });
  for (int i = 0; i < 100; ++i) ASSERT_EQ(co.resume().value(), i);
  jmpco::result<int> r = co.resume();
  EXPECT_STREQ(r.error().what(), "a string long enough to live on the heap, not in the SSO buffer");
}

TEST(Errors, CloseReturnsTheErrorOnceThenSucceeds) {
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&) -> int { throw std::runtime_error("died"); });
  EXPECT_FALSE(co.resume().ok());
  jmpco::result<void> first = co.close();
  EXPECT_FALSE(first.ok());
  EXPECT_STREQ(first.error().what(), "died");
  EXPECT_TRUE(co.close().ok());
}

// A dead coroutine keeps its error where its jump buffer was: resuming it again must not disturb
// the error, and destroying it without close() must destroy the exception it holds.
struct shared_failure {
  std::shared_ptr<int> payload;
};

TEST(Errors, DeathSurvivesRefusedResumesAndIsDestroyedWithTheCoroutine) {
  auto payload = std::make_shared<int>(7);
  {
    jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) -> int {
      y.yield(1);
      throw shared_failure{payload};
    });
    ASSERT_EQ(co.resume().value(), 1);
    jmpco::result<int> died = co.resume();
    ASSERT_EQ(died.code(), errc::exception);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(co.resume().code(), errc::dead_coroutine);
    EXPECT_EQ(co.status(), jmpco::status::dead);
    EXPECT_THROW(died.error().rethrow(), shared_failure);
    EXPECT_GT(payload.use_count(), 1);
  }
  EXPECT_EQ(payload.use_count(), 1);  // the coroutine's death went with it, unclosed
}

}  // namespace
