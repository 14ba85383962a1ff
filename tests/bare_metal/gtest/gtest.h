// SPDX-License-Identifier: MIT
// The part of GoogleTest's interface that jmpco's tests use, for targets where GoogleTest cannot
// run (bare metal: no file system, no threads, no death tests). It sits first on the include path
// of tests/bare_metal's programs, so `#include <gtest/gtest.h>` in tests/*.cpp finds it and the
// very same test files compile unchanged. tests/bare_metal/runner.cpp runs what they register.
//
// Provided: TEST; EXPECT_/ASSERT_ EQ, NE, LT, LE, GT, GE, TRUE, FALSE, STREQ; EXPECT_THROW (with
// exceptions); FAIL, ADD_FAILURE, GTEST_SKIP, SCOPED_TRACE; each takes a streamed message.
#ifndef JMPCO_TESTS_BARE_METAL_GTEST_H
#define JMPCO_TESTS_BARE_METAL_GTEST_H

#include <cstring>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace minitest {

using test_function = void (*)();

// Registered by TEST before main runs, in the order of the translation units' static constructors.
struct registration {
  registration(const char* suite, const char* name, test_function fn) noexcept;
  const char* suite;
  const char* name;
  test_function fn;
  registration* next = nullptr;
};

// What one check reports. The outcome is recorded when the streamed message is assigned to it.
enum class outcome { nonfatal_failure, fatal_failure, skip };
struct report {
  outcome kind;
  const char* file;
  int line;
  std::string what;
};

// Collects the `<< ...` that follows a check.
class message {
 public:
  template <class T>
  message& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }
  std::string str() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
};

void record(const report& r, const std::string& streamed);

// `return sink = message() << ...;` records the report; the assignment yields void, so it may be
// returned from the void test function (ASSERT_*, GTEST_SKIP) or stand as a statement (EXPECT_*).
struct sink {
  report r;
  void operator=(const message& m) const { record(r, m.str()); }
};

// SCOPED_TRACE: while it lives, its text is printed with every failure.
class scoped_trace {
 public:
  scoped_trace(const char* file, int line, const message& m);
  ~scoped_trace();
  scoped_trace(const scoped_trace&) = delete;
  scoped_trace& operator=(const scoped_trace&) = delete;
};

template <class T, class = void>
struct printable : std::false_type {};
template <class T>
struct printable<T,
                 std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

template <class T>
std::string show(const T& value) {
  std::ostringstream out;
  if constexpr (std::is_enum_v<T>) {
    out << static_cast<long long>(value);
  } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
    out << "nullptr";
  } else if constexpr (printable<T>::value) {
    out << value;
  } else {
    out << "(a value of " << sizeof(T) << " bytes)";
  }
  return out.str();
}

// The result of a comparison: empty text when it holds.
struct verdict {
  bool holds;
  std::string text;
};

template <class A, class B, class Op>
verdict compare(const char* a_text, const char* op_text, const char* b_text, const A& a, const B& b,
                Op op) {
  if (op(a, b)) return {true, {}};
  return {false, std::string("expected ") + a_text + " " + op_text + " " + b_text + ", got " +
                     show(a) + " and " + show(b)};
}

// The test program's name for the closing line, defined by the one file of tests that the
// program compiles (tests/bare_metal/CMakeLists.txt gives it MINITEST_PROGRAM_NAME).
extern const char* const program_name;
#if defined(MINITEST_PROGRAM_NAME)
const char* const program_name = MINITEST_PROGRAM_NAME;  // external: declared extern above
#endif

verdict compare_strings(const char* a_text, const char* b_text, const char* a, const char* b);
verdict truth(bool holds, const char* text, bool expected);

}  // namespace minitest

#define MINITEST_CAT2(a, b) a##b
#define MINITEST_CAT(a, b) MINITEST_CAT2(a, b)

#define TEST(suite, name)                                                       \
  static void minitest_##suite##_##name();                                      \
  static const ::minitest::registration minitest_registration_##suite##_##name( \
      #suite, #name, &minitest_##suite##_##name);                               \
  static void minitest_##suite##_##name()

// `switch (0) case 0: default:` keeps a following `else` of the user's from binding to our `if`.
#define MINITEST_CHECK(verdict_expr, kind, prefix)                                           \
  switch (0)                                                                                 \
  case 0:                                                                                    \
  default:                                                                                   \
    if (const ::minitest::verdict minitest_verdict = (verdict_expr); minitest_verdict.holds) \
      ;                                                                                      \
    else                                                                                     \
      prefix ::minitest::sink{{::minitest::outcome::kind, __FILE__, __LINE__,                \
                               minitest_verdict.text}} = ::minitest::message()

#define MINITEST_EXPECT(v) MINITEST_CHECK(v, nonfatal_failure, )
#define MINITEST_ASSERT(v) MINITEST_CHECK(v, fatal_failure, return )

#define MINITEST_CMP(a, op, b) \
  ::minitest::compare(#a, #op, #b, a, b, [](const auto& x, const auto& y) { return x op y; })

#define EXPECT_EQ(a, b) MINITEST_EXPECT(MINITEST_CMP(a, ==, b))
#define EXPECT_NE(a, b) MINITEST_EXPECT(MINITEST_CMP(a, !=, b))
#define EXPECT_LT(a, b) MINITEST_EXPECT(MINITEST_CMP(a, <, b))
#define EXPECT_LE(a, b) MINITEST_EXPECT(MINITEST_CMP(a, <=, b))
#define EXPECT_GT(a, b) MINITEST_EXPECT(MINITEST_CMP(a, >, b))
#define EXPECT_GE(a, b) MINITEST_EXPECT(MINITEST_CMP(a, >=, b))
#define EXPECT_TRUE(c) MINITEST_EXPECT(::minitest::truth(static_cast<bool>(c), #c, true))
#define EXPECT_FALSE(c) MINITEST_EXPECT(::minitest::truth(static_cast<bool>(c), #c, false))
#define EXPECT_STREQ(a, b) MINITEST_EXPECT(::minitest::compare_strings(#a, #b, a, b))
#define ASSERT_EQ(a, b) MINITEST_ASSERT(MINITEST_CMP(a, ==, b))
#define ASSERT_NE(a, b) MINITEST_ASSERT(MINITEST_CMP(a, !=, b))
#define ASSERT_LT(a, b) MINITEST_ASSERT(MINITEST_CMP(a, <, b))
#define ASSERT_LE(a, b) MINITEST_ASSERT(MINITEST_CMP(a, <=, b))
#define ASSERT_GT(a, b) MINITEST_ASSERT(MINITEST_CMP(a, >, b))
#define ASSERT_GE(a, b) MINITEST_ASSERT(MINITEST_CMP(a, >=, b))
#define ASSERT_TRUE(c) MINITEST_ASSERT(::minitest::truth(static_cast<bool>(c), #c, true))
#define ASSERT_FALSE(c) MINITEST_ASSERT(::minitest::truth(static_cast<bool>(c), #c, false))
#define ASSERT_STREQ(a, b) MINITEST_ASSERT(::minitest::compare_strings(#a, #b, a, b))

#define ADD_FAILURE() MINITEST_EXPECT((::minitest::verdict{false, "failure"}))
#define FAIL() MINITEST_ASSERT((::minitest::verdict{false, "failure"}))
#define GTEST_SKIP() MINITEST_CHECK((::minitest::verdict{false, "skipped"}), skip, return )
#define SCOPED_TRACE(m)                                                   \
  const ::minitest::scoped_trace MINITEST_CAT(minitest_trace_, __LINE__)( \
      __FILE__, __LINE__, ::minitest::message() << (m))

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define EXPECT_THROW(statement, type)                                                        \
  MINITEST_EXPECT(([&]() -> ::minitest::verdict {                                            \
    try {                                                                                    \
      statement;                                                                             \
    } catch (const type&) {                                                                  \
      return {true, {}};                                                                     \
    } catch (...) {                                                                          \
      return {false, "expected " #statement " to throw " #type ", it threw something else"}; \
    }                                                                                        \
    return {false, "expected " #statement " to throw " #type ", it did not throw"};          \
  }()))
#endif

#endif  // JMPCO_TESTS_BARE_METAL_GTEST_H
