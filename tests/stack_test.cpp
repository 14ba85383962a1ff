// SPDX-License-Identifier: MIT
// The coroutine's stack is restored to the very same addresses: pointers into it stay valid, deep
// frames survive, and it does not matter how deep the resumer stands.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "jmpco/jmpco.hpp"

namespace {

using sig = int(int);
using yielder = jmpco::yielder<sig>;

// Scribbles over a stretch of the stack below the caller, as unrelated work between resumes would.
JMPCO_NOINLINE void scribble_stack(int depth) {
  volatile unsigned char junk[2048];
  std::memset(const_cast<unsigned char*>(junk), 0xA5, sizeof junk);
  if (depth > 0) scribble_stack(depth - 1);
}

// Calls `fn` from `depth` extra frames, each holding a guarded pattern that must survive the call.
template <class F>
JMPCO_NOINLINE int at_depth(int depth, F& fn) {
  if (depth == 0) return fn();
  volatile std::uint32_t guard[64];
  for (int i = 0; i < 64; ++i) guard[i] = 0x5EED0000u + static_cast<std::uint32_t>(depth * 64 + i);
  int r = at_depth(depth - 1, fn);
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(guard[i], 0x5EED0000u + static_cast<std::uint32_t>(depth * 64 + i));
  return r;
}

struct self_pointing {
  self_pointing* self = this;
  int payload = 0;
};

TEST(Stack, PointersIntoTheCoroutineStackStayValidAcrossManyYields) {
  self_pointing* registered = nullptr;  // held outside the coroutine, like an intrusive list
  jmpco::coroutine<sig> co([&](yielder& y, int rounds) {
    std::string sso = "short";  // lives inside the string object, on this stack
    self_pointing object;
    registered = &object;
    std::array<unsigned char, 64 * 1024> big;
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<unsigned char>(i * 7);
    for (int i = 0; i < rounds; ++i) {
      object.payload = i;
      y.yield(i);
      // Only the coroutine itself may look while it runs; what the resumer did in between
      // must not show.
      if (sso != "short" || registered != &object || object.self != &object || object.payload != i)
        return -1;
      for (std::size_t k = 0; k < big.size(); k += 997)
        if (big[k] != static_cast<unsigned char>(k * 7)) return -2;
    }
    return 1000;
  });
  ASSERT_EQ(co.resume(300).value(), 0);
  for (int i = 1; i < 300; ++i) {
    scribble_stack(40);
    ASSERT_EQ(co.resume(0).value(), i);
  }
  scribble_stack(40);
  EXPECT_EQ(co.resume(0).value(), 1000);
}

JMPCO_NOINLINE int recurse_then_yield(yielder& y, int depth) {
  volatile int local = depth;
  if (depth == 0) {
    y.yield(-1);
    y.yield(-2);
    return 0;
  }
  int below = recurse_then_yield(y, depth - 1);
  return below + (local == depth ? 1 : 1000000);
}

TEST(Stack, DeepRecursionInsideTheCoroutineBeforeYielding) {
  jmpco::coroutine<sig> co([](yielder& y, int depth) { return recurse_then_yield(y, depth); });
  EXPECT_EQ(co.resume(5000).value(), -1);
  scribble_stack(20);
  EXPECT_EQ(co.resume(0).value(), -2);
  scribble_stack(20);
  EXPECT_EQ(co.resume(0).value(), 5000);
}

int counting_body(yielder& y, int start) {
  volatile int marks[32];
  for (int i = 0; i < 32; ++i) marks[i] = start + i;
  int n = start;
  for (;;) {
    int step = y.yield(n);
    for (int i = 0; i < 32; ++i)
      if (marks[i] != start + i) return -1;
    if (step == 0) return n;
    n += step;
  }
}

TEST(Stack, ResumedFromShallowerAndDeeperThanWhereItStarted) {
  jmpco::coroutine<sig> co(&counting_body);
  auto resume_with = [&](int v) { return co.resume(v).value(); };
  int started = 0;
  auto start = [&] { return started = resume_with(10); };
  at_depth(20, start);  // starts 20 frames down
  EXPECT_EQ(started, 10);
  int result = 0;
  auto deeper = [&] { return result = resume_with(1); };
  at_depth(60, deeper);  // the resumer's frames now cover the coroutine's slice
  EXPECT_EQ(result, 11);
  EXPECT_EQ(resume_with(2), 13);  // from shallower than where it started
  auto same = [&] { return result = resume_with(3); };
  at_depth(20, same);
  EXPECT_EQ(result, 16);
  at_depth(90, deeper);
  EXPECT_EQ(result, 17);
  EXPECT_EQ(resume_with(0), 17);
}

TEST(Stack, ManyCoroutinesRoundRobin) {
  constexpr int kCount = 10000;
  std::vector<jmpco::coroutine<sig>> all;
  all.reserve(kCount);
  for (int i = 0; i < kCount; ++i) all.emplace_back(&counting_body);
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(all[i].resume(i).value(), i);
  for (int round = 1; round <= 3; ++round)
    for (int i = 0; i < kCount; ++i) ASSERT_EQ(all[i].resume(1).value(), i + round);
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(all[i].resume(0).value(), i + 3);
}

// qsort calls back into us from libc's frames; each comparison is decided by the resumer.
using compare_sig = int(int);  // yields a packed pair, receives the comparison result

int compare_by_asking(const void* a, const void* b) {
  const int x = *static_cast<const int*>(a);
  const int y = *static_cast<const int*>(b);
  return jmpco::this_coroutine::try_yield<compare_sig>(x * 1000 + y).value();
}

TEST(Stack, YieldFromAQsortComparator) {
  jmpco::coroutine<compare_sig> sorter([](jmpco::yielder<compare_sig>&, int) {
    int values[] = {42, 7, 19, 3, 88, 1, 56, 23, 11, 64};
    std::qsort(values, 10, sizeof(int), &compare_by_asking);
    for (int i = 1; i < 10; ++i)
      if (values[i - 1] > values[i]) return -1;
    return values[0] * 1000 + values[9];
  });
  jmpco::result<int> step = sorter.resume(0);
  int comparisons = 0;
  while (sorter.status() == jmpco::status::suspended) {
    const int x = step.value() / 1000, y = step.value() % 1000;
    ++comparisons;
    scribble_stack(4);
    step = sorter.resume(x < y ? -1 : (x > y ? 1 : 0));
  }
  EXPECT_GT(comparisons, 9);
  EXPECT_EQ(step.value(), 1 * 1000 + 88);
}

}  // namespace

namespace {

// Found by the scenario fuzzer: when a context's heap copy had to grow, bytes saved earlier were
// read again from the stack, where another slice had been restored over them meanwhile.
using grow_co = jmpco::coroutine<long(long)>;
grow_co* grow_a = nullptr;
int grow_corrupted = 0;

JMPCO_NOINLINE long grow_resume_here(grow_co& co, long v) { return co.resume(v).value(); }

JMPCO_NOINLINE long grow_resume_deeper(grow_co& co, long v, int depth) {
  volatile long pad[32];
  for (int i = 0; i < 32; ++i) pad[i] = 0x5a5a0000L + depth * 100 + i;
  const long r = depth == 0 ? grow_resume_here(co, v) : grow_resume_deeper(co, v, depth - 1);
  for (int i = 0; i < 32; ++i)
    if (pad[i] != 0x5a5a0000L + depth * 100 + i) ++grow_corrupted;
  return r;
}

TEST(Stack, GrowingASavedCopyKeepsTheBytesSavedBefore) {
  grow_co a([](jmpco::yielder<long(long)>& y, long v) -> long {
    for (;;) v = y.yield(v + 1);
  });
  grow_co b([](jmpco::yielder<long(long)>& y, long v) -> long {
    v = y.yield(v + 10);
    v = grow_a->resume(v).value();  // A's slice reaches higher than B's
    return v + 10;
  });
  grow_a = &a;
  grow_corrupted = 0;
  grow_resume_here(a, 0);       // A: shallow start, high stop
  grow_resume_deeper(b, 0, 2);  // B: deeper start, lower stop
  // The resumer, below B's stop, resumes B, which resumes A: the resumer's copy grows.
  EXPECT_EQ(grow_resume_deeper(b, 100, 6), 111);
  EXPECT_EQ(grow_corrupted, 0);
}

}  // namespace
