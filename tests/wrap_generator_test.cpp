// SPDX-License-Identifier: MIT
// Lua's coroutine.wrap (a callable that re-raises the coroutine's errors) and generators usable
// in a range-for loop.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

TEST(Generator, RangeForOverYieldedValues) {
  jmpco::generator<int> squares([](jmpco::yielder<int()>& y) {
    for (int i = 1; i <= 5; ++i) y.yield(i * i);
  });
  std::vector<int> seen;
  for (int v : squares) seen.push_back(v);
  EXPECT_EQ(seen, (std::vector<int>{1, 4, 9, 16, 25}));
  EXPECT_EQ(squares.status(), jmpco::status::dead);
}

TEST(Generator, EmptySequence) {
  jmpco::generator<std::string> none([](jmpco::yielder<std::string()>&) {});
  int count = 0;
  for (const std::string& s : none) count += static_cast<int>(s.size()) + 1;
  EXPECT_EQ(count, 0);
}

// A recursive generator: an in-order tree walk that yields from any depth.
struct node {
  int value;
  const node* left;
  const node* right;
};

void walk(const node* n) {
  if (n == nullptr) return;
  walk(n->left);
  (void)jmpco::this_coroutine::try_yield<int()>(n->value).ok();
  walk(n->right);
}

TEST(Generator, RecursiveTreeWalkYieldsFromEveryDepth) {
  node n1{1, nullptr, nullptr}, n3{3, nullptr, nullptr}, n2{2, &n1, &n3};
  node n5{5, nullptr, nullptr}, n4{4, &n2, &n5};
  jmpco::generator<int> in_order([&](jmpco::yielder<int()>&) { walk(&n4); });
  std::vector<int> seen;
  for (int v : in_order) seen.push_back(v);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(Generator, ErrorInTheBodyIsRethrownFromTheLoop) {
  jmpco::generator<int> failing([](jmpco::yielder<int()>& y) {
    y.yield(1);
    throw std::runtime_error("generator broke");
  });
  std::vector<int> seen;
  EXPECT_THROW(
      {
        for (int v : failing) seen.push_back(v);
      },
      std::runtime_error);
  EXPECT_EQ(seen, (std::vector<int>{1}));
  EXPECT_STREQ(failing.error().what(), "generator broke");
}

TEST(Generator, AbandonedLoopClosesTheGenerator) {
  static int cleaned = 0;
  struct cleanup {
    ~cleanup() { ++cleaned; }
  };
  {
    jmpco::generator<int> naturals([](jmpco::yielder<int()>& y) {
      cleanup c;
      for (int i = 0;; ++i) y.yield(i);
    });
    for (int v : naturals)
      if (v == 3) break;
  }
  EXPECT_EQ(cleaned, 1);
}

TEST(Generator, AHandleIsOnePointerAndAMovedFromOneIsEmpty) {
  // Everything a step records lives in the coroutine object: a suspended generator costs its
  // object, its stack copy and this pointer.
  static_assert(sizeof(jmpco::generator<int>) == sizeof(void*));
  jmpco::generator<int> first([](jmpco::yielder<int()>& y) { y.yield(7); });
  jmpco::generator<int> second(std::move(first));
  EXPECT_EQ(first.error().code(), jmpco::errc::empty_handle);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(first.status(), jmpco::status::dead);
  EXPECT_THROW((void)first.begin(), jmpco::coroutine_error);
  EXPECT_EQ(second.error().code(), jmpco::errc::ok);
  std::vector<int> seen;
  for (int v : second) seen.push_back(v);
  EXPECT_EQ(seen, (std::vector<int>{7}));
  EXPECT_EQ(second.error().code(), jmpco::errc::ok);
}

TEST(Generator, AnErrorAfterTheBodyMovedItsGeneratorIsTheNewHandles) {
  std::unique_ptr<jmpco::generator<int>> g, moved;
  g = std::make_unique<jmpco::generator<int>>([&](jmpco::yielder<int()>& y) {
    y.yield(1);
    moved = std::make_unique<jmpco::generator<int>>(std::move(*g));
    throw std::runtime_error("after the move");
  });
  auto it = g->begin();
  EXPECT_THROW(++it, std::runtime_error);
  ASSERT_TRUE(moved);
  EXPECT_STREQ(moved->error().what(), "after the move");
  EXPECT_EQ(g->error().code(), jmpco::errc::empty_handle);
}

TEST(Generator, AFirstStepRefusedAtTheNestingLimitIsTriedAgainByTheNextBegin) {
  const unsigned limit = jmpco::coroutine_core::nesting_limit();
  jmpco::generator<int> g([](jmpco::yielder<int()>& y) { y.yield(5); });
  jmpco::coroutine_core::set_nesting_limit(jmpco::coroutine_core::level());  // no room for one
  EXPECT_THROW((void)g.begin(), jmpco::coroutine_error);
  jmpco::coroutine_core::set_nesting_limit(limit);
  EXPECT_EQ(g.error().code(), jmpco::errc::c_stack_overflow);
  EXPECT_EQ(g.status(), jmpco::status::suspended);
  auto it = g.begin();  // the body has not started: this begin() steps it
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(*it, 5);
  EXPECT_EQ(g.error().code(), jmpco::errc::c_stack_overflow);  // the last refusal stays on record
  ++it;
  EXPECT_EQ(it, nullptr);
}

TEST(Wrap, CallsResumeAndReturnsTheYieldedValues) {
  auto next = jmpco::wrap<int(int)>([](jmpco::yielder<int(int)>& y, int a) {
    int b = y.yield(a + 1);
    return b * 2;
  });
  EXPECT_EQ(next(1), 2);
  EXPECT_EQ(next(5), 10);
  EXPECT_EQ(next.status(), jmpco::status::dead);
}

TEST(Wrap, ReRaisesTheCoroutinesErrorInTheCaller) {
  auto failing =
      jmpco::wrap<int()>([](jmpco::yielder<int()>&) -> int { throw std::out_of_range("range"); });
  EXPECT_THROW(failing(), std::out_of_range);
}

TEST(Wrap, CallingADeadWrapRaisesDeadCoroutine) {
  auto once = jmpco::wrap<int()>([](jmpco::yielder<int()>&) { return 1; });
  EXPECT_EQ(once(), 1);
  try {
    once();
    FAIL() << "no throw";
  } catch (const jmpco::coroutine_error& e) {
    EXPECT_STREQ(e.what(), "cannot resume dead coroutine");
  }
}

TEST(Wrap, ErrorRaisedInsideANestedWrapKillsTheOuterCoroutineToo) {
  jmpco::coroutine<int()> outer([](jmpco::yielder<int()>&) -> int {
    auto inner = jmpco::wrap<int()>([](jmpco::yielder<int()>&) -> int {
      jmpco::this_coroutine::raise(jmpco::error(7, "inner failed"));
    });
    return inner();
  });
  jmpco::result<int> r = outer.resume();
  EXPECT_EQ(r.code(), jmpco::errc::raised);
  EXPECT_EQ(r.error().user_code(), 7);
  EXPECT_EQ(outer.status(), jmpco::status::dead);
}

}  // namespace
