// SPDX-License-Identifier: MIT
// Values: number formatting and parsing, table borders and traversal.
#include "value.hpp"

#include <gtest/gtest.h>

#include <cmath>

using replay::Heap;
using replay::Table;
using replay::Value;

namespace {

class ValueTest : public ::testing::Test {
 protected:
  void SetUp() override { Heap::set_current(&heap_); }
  void TearDown() override {
    heap_.break_cycles();
    Heap::set_current(nullptr);
  }
  Heap heap_;
};

TEST_F(ValueTest, FloatsPrintLikeLua) {
  // lua5.4: print(3.0, -0.0, 1e15, 1e16, 2^63, 0.1, 1/3, 2^53)
  EXPECT_EQ(replay::float_to_string(3.0), "3.0");
  EXPECT_EQ(replay::float_to_string(-0.0), "-0.0");
  EXPECT_EQ(replay::float_to_string(1e15), "1e+15");
  EXPECT_EQ(replay::float_to_string(1e16), "1e+16");
  EXPECT_EQ(replay::float_to_string(9223372036854775808.0), "9.2233720368548e+18");
  EXPECT_EQ(replay::float_to_string(0.1), "0.1");
  EXPECT_EQ(replay::float_to_string(1.0 / 3), "0.33333333333333");
  EXPECT_EQ(replay::float_to_string(HUGE_VAL), "inf");
  EXPECT_EQ(replay::float_to_string(-HUGE_VAL), "-inf");
}

TEST_F(ValueTest, StringsConvertLikeLua) {
  Value v;
  ASSERT_TRUE(replay::string_to_number("  12  ", v));
  EXPECT_TRUE(v.is_int());
  EXPECT_EQ(v.as_int(), 12);
  ASSERT_TRUE(replay::string_to_number("0x10", v));
  EXPECT_EQ(v.as_int(), 16);
  ASSERT_TRUE(replay::string_to_number("0xffffffffffffffff", v));  // wraps around
  EXPECT_EQ(v.as_int(), -1);
  ASSERT_TRUE(replay::string_to_number("9223372036854775808", v));  // too big: a float
  EXPECT_TRUE(v.is_float());
  ASSERT_TRUE(replay::string_to_number("1e2", v));
  EXPECT_EQ(v.as_float(), 100.0);
  ASSERT_TRUE(replay::string_to_number("0x1p4", v));
  EXPECT_EQ(v.as_float(), 16.0);
  EXPECT_FALSE(replay::string_to_number("inf", v));
  EXPECT_FALSE(replay::string_to_number("nan", v));
  EXPECT_FALSE(replay::string_to_number("1 2", v));
  EXPECT_FALSE(replay::string_to_number("", v));
  EXPECT_FALSE(replay::string_to_number("0x", v));
  EXPECT_FALSE(replay::string_to_number(std::string("1\0", 2), v));
}

TEST_F(ValueTest, IntegerAndFloatKeysMeet) {
  auto* t = new Table();
  Value tv = Value::object(t);
  t->set(replay::normalize_key(Value::number(1.0)), Value::string("one"));
  EXPECT_EQ(t->get(Value::integer(1)).str(), "one");
  EXPECT_EQ(t->get(Value::number(1.0)).str(), "one");
  EXPECT_TRUE(t->get(Value::number(1.5)).is_nil());
}

TEST_F(ValueTest, BorderOfSequencesAndHoles) {
  auto* t = new Table();
  Value tv = Value::object(t);
  for (int i = 1; i <= 5; ++i) t->set_int(i, Value::integer(i));
  EXPECT_EQ(t->border(), 5);
  t->set_int(5, Value());
  EXPECT_EQ(t->border(), 4);
  // Keys set out of order move into the sequence once the gap closes.
  auto* u = new Table();
  Value uv = Value::object(u);
  u->set_int(3, Value::integer(3));
  u->set_int(2, Value::integer(2));
  EXPECT_EQ(u->border(), 0);
  u->set_int(1, Value::integer(1));
  EXPECT_EQ(u->border(), 3);
}

TEST_F(ValueTest, NextVisitsArrayThenHashInInsertionOrder) {
  auto* t = new Table();
  Value tv = Value::object(t);
  t->set_int(1, Value::string("a"));
  t->set(Value::string("x"), Value::integer(1));
  t->set(Value::string("y"), Value::integer(2));
  std::vector<std::string> keys;
  Value k, v;
  bool bad = false;
  while (t->next(k, k, v, bad)) keys.push_back(k.is_int() ? std::to_string(k.as_int()) : k.str());
  EXPECT_FALSE(bad);
  EXPECT_EQ(keys, (std::vector<std::string>{"1", "x", "y"}));
  // Clearing fields during a traversal is allowed.
  t->set(Value::string("x"), Value());
  ASSERT_TRUE(t->next(Value::string("x"), k, v, bad));
  EXPECT_EQ(k.str(), "y");
  EXPECT_FALSE(t->next(Value::string("nope"), k, v, bad));
  EXPECT_TRUE(bad);
}

TEST_F(ValueTest, CyclesAreFreedAtTheEnd) {
  {
    auto* a = new Table();
    auto* b = new Table();
    Value av = Value::object(a), bv = Value::object(b);
    a->set(Value::string("b"), bv);
    b->set(Value::string("a"), av);
  }
  EXPECT_GT(heap_.live_count(), 0u);
  heap_.break_cycles();
  EXPECT_EQ(heap_.live_count(), 0u);
}

TEST_F(ValueTest, CollectFreesCyclesButKeepsWhatOutsideReferencesReach) {
  Value kept;
  {
    auto* a = new Table();
    auto* b = new Table();
    Value av = Value::object(a), bv = Value::object(b);
    a->set(Value::string("b"), bv);
    b->set(Value::string("a"), av);
    auto* c = new Table();
    kept = Value::object(c);
    auto* d = new Table();
    c->set_int(1, Value::object(d));
    d->set_int(1, kept);  // a cycle with a reference from outside the heap
  }
  const std::size_t before = heap_.live_count();
  EXPECT_FALSE(heap_.collect());
  EXPECT_EQ(heap_.live_count(), before - 4);  // a, b and their two string keys
  ASSERT_TRUE(kept.table()->get_int(1).is_table());
  EXPECT_TRUE(raw_equal(kept.table()->get_int(1).table()->get_int(1), kept));
}

TEST_F(ValueTest, CollectClearsWeakEntriesByMode) {
  Value weak_values = Value::object(new Table());
  Value mode = Value::object(new Table());
  mode.table()->set(Value::string("__mode"), Value::string("v"));
  weak_values.table()->meta = mode;
  Value live = Value::object(new Table());
  weak_values.table()->set_int(1, Value::object(new Table()));
  weak_values.table()->set_int(2, live);
  weak_values.table()->set(Value::string("s"), Value::string("strings stay"));
  heap_.collect();
  EXPECT_TRUE(weak_values.table()->get_int(1).is_nil());
  EXPECT_TRUE(raw_equal(weak_values.table()->get_int(2), live));
  EXPECT_EQ(weak_values.table()->get_str("s").str(), "strings stay");
}

TEST_F(ValueTest, LongChainsAreFreedWithoutRecursion) {
  Value head;
  for (int i = 0; i < 100000; ++i) {
    auto* node = new Table();
    Value nv = Value::object(node);
    node->set(Value::string("next"), head);
    head = nv;
  }
  head = Value();
  EXPECT_EQ(heap_.live_count(), 0u);
}

}  // namespace
