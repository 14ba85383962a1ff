// SPDX-License-Identifier: MIT
// The C++ runtime's per-thread exception state belongs to each coroutine: a yield inside a catch
// block, and std::uncaught_exceptions() during unwinding, stay correct on both sides.
#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "jmpco/jmpco.hpp"

namespace {

using sig = int();
using yielder = jmpco::yielder<sig>;

std::string current_message() {
  std::exception_ptr e = std::current_exception();
  if (!e) return "<none>";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

TEST(Exceptions, YieldInsideCatchKeepsEachSidesCaughtException) {
  jmpco::coroutine<sig> co([](yielder& y) {
    try {
      throw std::runtime_error("inside");
    } catch (const std::exception&) {
      y.yield(1);
      if (current_message() != "inside") return -1;
      y.yield(2);
      if (current_message() != "inside") return -2;
      try {
        throw;  // rethrow the coroutine's own caught exception
      } catch (const std::runtime_error& again) {
        if (std::string(again.what()) != "inside") return -3;
      }
    }
    return current_message() == "<none>" ? 3 : -4;
  });
  EXPECT_EQ(co.resume().value(), 1);
  EXPECT_EQ(current_message(), "<none>");  // the resumer is in no catch block
  try {
    throw std::logic_error("outside");
  } catch (const std::exception&) {
    EXPECT_EQ(co.resume().value(), 2);
    EXPECT_EQ(current_message(), "outside");
  }
  EXPECT_EQ(co.resume().value(), 3);
  EXPECT_EQ(current_message(), "<none>");
}

TEST(Exceptions, TwoCoroutinesInCatchBlocksInterleaved) {
  auto body = [](const char* text) {
    return [text](yielder& y) {
      try {
        throw std::runtime_error(text);
      } catch (const std::exception&) {
        for (int i = 0; i < 5; ++i) {
          y.yield(i);
          if (current_message() != text) return -1;
        }
      }
      return 100;
    };
  };
  jmpco::coroutine<sig> a(body("a")), b(body("b"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(a.resume().value(), i);
    EXPECT_EQ(b.resume().value(), i);
  }
  EXPECT_EQ(a.resume().value(), 100);
  EXPECT_EQ(b.resume().value(), 100);
}

struct resumes_in_destructor {
  jmpco::coroutine<sig>* co;
  int* seen_inside;
  int* seen_outside;
  ~resumes_in_destructor() {
    *seen_outside = std::uncaught_exceptions();
    *seen_inside = co->resume().value();
  }
};

TEST(Exceptions, UncaughtExceptionsIsCountedPerCoroutine) {
  jmpco::coroutine<sig> co([](yielder&) { return std::uncaught_exceptions(); });
  int inside = -1, outside = -1;
  try {
    resumes_in_destructor guard{&co, &inside, &outside};
    throw std::runtime_error("unwinding");
  } catch (const std::exception&) {
  }
  EXPECT_EQ(outside, 1);  // the resumer is unwinding
  EXPECT_EQ(inside, 0);   // the coroutine is not
}

TEST(Exceptions, ExceptionCaughtInsideTheCoroutineNeverLeaks) {
  jmpco::coroutine<sig> co([](yielder& y) {
    int caught = 0;
    for (int i = 0; i < 50; ++i) {
      try {
        y.yield(i);
        throw i;
      } catch (int v) {
        caught += v == i;
      }
    }
    return caught;
  });
  for (int i = 0; i < 50; ++i) ASSERT_EQ(co.resume().value(), i);
  EXPECT_EQ(co.resume().value(), 50);
}

}  // namespace
