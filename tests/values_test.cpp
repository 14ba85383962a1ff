// SPDX-License-Identifier: MIT
// Values travel both ways: resume arguments become the body's parameters, then yield's results;
// yield's and return's values become resume's results (Lua's coroutine.resume/yield contract).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

TEST(Values, NothingEitherWay) {
  int steps = 0;
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    ++steps;
    y.yield();
    ++steps;
  });
  EXPECT_TRUE(co.resume().ok());
  EXPECT_EQ(steps, 1);
  EXPECT_TRUE(co.resume().ok());
  EXPECT_EQ(steps, 2);
  EXPECT_EQ(co.status(), jmpco::status::dead);
}

TEST(Values, OneValueEachWay) {
  jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>& y, int first) {
    int second = y.yield(first + 1);
    int third = y.yield(second + 1);
    return third * 10;
  });
  EXPECT_EQ(co.resume(1).value(), 2);
  EXPECT_EQ(co.resume(5).value(), 6);
  EXPECT_EQ(co.resume(7).value(), 70);
}

TEST(Values, ManyValuesEachWay) {
  using out = std::tuple<int, std::string, double>;
  using sig = out(int, std::string);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, int n, std::string s) -> out {
    auto [n2, s2] = y.yield(n * 2, s + "!", 0.5);
    return {n2, s2 + s2, 1.5};
  });
  EXPECT_EQ(co.resume(21, "hi").value(), (out{42, "hi!", 0.5}));
  EXPECT_EQ(co.resume(3, "ab").value(), (out{3, "abab", 1.5}));
}

TEST(Values, MoveOnlyValuesAreMovedNotCopied) {
  using sig = std::unique_ptr<int>(std::unique_ptr<int>);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::unique_ptr<int> p) {
    *p += 1;
    std::unique_ptr<int> back = y.yield(std::move(p));
    *back += 100;
    return back;
  });
  std::unique_ptr<int> p = co.resume(std::make_unique<int>(1)).value();
  EXPECT_EQ(*p, 2);
  EXPECT_EQ(*co.resume(std::move(p)).value(), 102);
}

TEST(Values, LargeValueSurvivesTheSwitch) {
  // 300 values at once, like Lua's 250+ value scenarios.
  using sig = std::vector<int>(std::vector<int>);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::vector<int> v) {
    for (int& x : v) x *= 2;
    std::vector<int> again = y.yield(std::move(v));
    return std::vector<int>(again.rbegin(), again.rend());
  });
  std::vector<int> in(300);
  for (int i = 0; i < 300; ++i) in[i] = i;
  std::vector<int> doubled = co.resume(in).value();
  ASSERT_EQ(doubled.size(), 300u);
  EXPECT_EQ(doubled[299], 598);
  std::vector<int> reversed = co.resume(in).value();
  EXPECT_EQ(reversed.front(), 299);
  EXPECT_EQ(reversed.back(), 0);
}

TEST(Values, ArgumentsOfAFailedResumeAreNotDelivered) {
  jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>&, int x) { return x; });
  EXPECT_EQ(co.resume(4).value(), 4);
  jmpco::result<int> again = co.resume(5);
  EXPECT_EQ(again.code(), jmpco::errc::dead_coroutine);
}

}  // namespace
