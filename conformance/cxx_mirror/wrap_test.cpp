// SPDX-License-Identifier: MIT
// Mirrors of the wrap_* scenarios. jmpco::wrap<Sig> is coroutine.wrap: each call resumes the
// coroutine and returns what it yielded or returned, and its errors are raised in the caller.
//
// Documented difference: Lua's wrap prepends the caller's position ("NAME.lua:LINE: ") to string
// errors, once per wrap level; jmpco's wrap rethrows the coroutine's exception as itself, and
// misuse (a dead or running coroutine) as jmpco::coroutine_error with Lua's bare message. The
// mirrors expect the messages without positions.
#include <string>
#include <tuple>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;
using log_t = std::vector<std::string>;

TEST(Mirror, wrap_basic) {  // mirrors conformance/scenarios/wrap_basic.lua
  using sig = values(values);
  auto f = jmpco::wrap<sig>([](jmpco::yielder<sig>& y, values ab) {
    const long long a = std::get<long long>(ab[0]), b = std::get<long long>(ab[1]);
    values c = y.yield(vals(a + b, a - b));
    return vals(c[0], "end");
  });
  EXPECT_EQ(print(f(vals(5, 3))), "8\t2");
  EXPECT_EQ(print(f(vals("resumed"))), "resumed\tend");
}

TEST(Mirror, wrap_close_error_replaces) {  // mirrors conformance/scenarios/wrap_close_error_replaces.lua
  log_t log;
  auto f = jmpco::wrap<void()>([&](auto&) {
    with_close(
        [&](std::exception_ptr e) {
          log.push_back("handler sees " + text(e));
          throw lua_error("close failed");
        },
        [] { throw lua_error("original"); });
  });
  EXPECT_EQ(text(pcall(f)), "close failed");
  EXPECT_EQ(log, (log_t{"handler sees original"}));
}

TEST(Mirror, wrap_closes_tbc_on_error) {  // mirrors conformance/scenarios/wrap_closes_tbc_on_error.lua
  log_t log;
  auto res = [&](const std::string& name) {
    return [&log, name](std::exception_ptr e) { log.push_back(name + ":" + (e ? text(e) : "nil")); };
  };
  auto f = jmpco::wrap<std::string()>([&](jmpco::yielder<std::string()>& y) {
    return with_close(res("a"), [&] {
      return with_close(res("b"), [&]() -> std::string {
        y.yield("holding a and b");
        throw lua_error("fail");
      });
    });
  });
  EXPECT_EQ(f(), "holding a and b");
  EXPECT_EQ(text(pcall(f)), "fail");
  EXPECT_EQ(log, (log_t{"b:fail", "a:fail"}));
}

TEST(Mirror, wrap_dead_call) {  // mirrors conformance/scenarios/wrap_dead_call.lua
  auto f = jmpco::wrap<std::string()>([](auto&) { return std::string("only once"); });
  EXPECT_EQ(f(), "only once");
  EXPECT_EQ(text(pcall(f)), "cannot resume dead coroutine");
  std::exception_ptr e = pcall([&] { return f(); });
  EXPECT_EQ(text(e), "cannot resume dead coroutine");  // Lua: "wrap_dead_call.lua:5: cannot resume ..."
  try {
    std::rethrow_exception(e);
  } catch (const jmpco::coroutine_error& x) {
    EXPECT_EQ(x.error().code(), errc::dead_coroutine);
  } catch (...) {
    ADD_FAILURE() << "not a coroutine_error";
  }
}

TEST(Mirror, wrap_error_after_yields) {  // mirrors conformance/scenarios/wrap_error_after_yields.lua
  auto f = jmpco::wrap<int()>([](jmpco::yielder<int()>& y) -> int {
    for (int i = 1; i <= 3; ++i) y.yield(i);
    throw lua_error("after three");
  });
  log_t lines;
  for (int i = 1; i <= 5; ++i) {
    int got = 0;
    std::exception_ptr e = pcall([&] { got = f(); });
    lines.push_back(fmt(i) + " " + (e ? "false " + text(e) : "true " + fmt(got)));
  }
  EXPECT_EQ(lines,
            (log_t{"1 true 1", "2 true 2", "3 true 3", "4 false after three", "5 false cannot resume dead coroutine"}));
}

TEST(Mirror, wrap_error_called_by_pcall) {  // mirrors conformance/scenarios/wrap_error_called_by_pcall.lua
  auto f = jmpco::wrap<void()>([](auto&) { throw lua_error("direct"); });
  EXPECT_EQ(text(pcall(f)), "direct");
  auto g = jmpco::wrap<void()>([](auto&) { throw lua_error("direct1"); });
  EXPECT_EQ(text(pcall(g)), "direct1");  // Lua: "wrap_error_called_by_pcall.lua:4: direct1"
}

TEST(Mirror, wrap_error_level0) {  // mirrors conformance/scenarios/wrap_error_level0.lua
  auto f = jmpco::wrap<int()>([](auto&) -> int { throw lua_error("plain"); });
  std::exception_ptr e = pcall([&] {
    int r = f();
    (void)r;
  });
  EXPECT_EQ(text(e), "plain");  // Lua: "wrap_error_level0.lua:3: plain"
}

// One exception passes through both wraps unchanged (Lua stacks a prefix per wrap).
TEST(Mirror, wrap_error_nested_two) {  // mirrors conformance/scenarios/wrap_error_nested_two.lua
  std::exception_ptr original;
  auto inner = jmpco::wrap<void()>([&](auto&) {
    try {
      throw lua_error("deep");
    } catch (...) {
      original = std::current_exception();
      throw;
    }
  });
  auto outer = jmpco::wrap<void()>([&](auto&) { inner(); });
  std::exception_ptr e = pcall([&] { outer(); });
  EXPECT_EQ(text(e), "deep");
  EXPECT_EQ(e, original);
}

TEST(Mirror, wrap_error_nil_boolean) {  // mirrors conformance/scenarios/wrap_error_nil_boolean.lua
  auto f = jmpco::wrap<void()>([](auto&) { throw nullptr; });
  EXPECT_TRUE(caught_as<std::nullptr_t>(pcall([&] { f(); })).has_value());
  auto g = jmpco::wrap<void()>([](auto&) { throw false; });
  EXPECT_EQ(caught_as<bool>(pcall([&] { g(); })), std::optional<bool>(false));
  auto h = jmpco::wrap<void()>([](auto&) { throw true; });
  EXPECT_EQ(caught_as<bool>(pcall([&] { h(); })), std::optional<bool>(true));
  auto k = jmpco::wrap<void()>([](auto&) { throw nullptr; });  // error(): nil as well
  EXPECT_NE(pcall([&] { k(); }), nullptr);
}

TEST(Mirror, wrap_error_number) {  // mirrors conformance/scenarios/wrap_error_number.lua
  auto f = jmpco::wrap<void()>([](auto&) { throw 42; });
  std::optional<int> e = caught_as<int>(pcall([&] { f(); }));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e + 1, 43);
  auto g = jmpco::wrap<void()>([](auto&) { throw 2.5; });
  std::optional<double> e2 = caught_as<double>(pcall([&] { g(); }));
  ASSERT_TRUE(e2.has_value());
  EXPECT_EQ(fmt(*e2 * 2), "5.0");
}

TEST(Mirror, wrap_error_string_prefix) {  // mirrors conformance/scenarios/wrap_error_string_prefix.lua
  auto f = jmpco::wrap<int()>([](auto&) -> int { throw lua_error("wrapped failure"); });
  std::exception_ptr e = pcall([&] { return f(); });
  EXPECT_EQ(text(e), "wrapped failure");             // Lua: "...lua:6: ...lua:3: wrapped failure"
  EXPECT_TRUE(caught_as<lua_error>(e).has_value());  // rethrown as itself
}

TEST(Mirror, wrap_error_table) {  // mirrors conformance/scenarios/wrap_error_table.lua
  table_ref obj = new_table(0, "table error");
  auto f = jmpco::wrap<void()>([&](auto&) { throw obj; });
  std::optional<table_ref> e = caught_as<table_ref>(pcall([&] { f(); }));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, obj);
  EXPECT_EQ((*e)->name, "table error");
}

// A generic for over a wrap function: it stops when the call returns nothing (an empty optional).
TEST(Mirror, wrap_for_iterator) {  // mirrors conformance/scenarios/wrap_for_iterator.lua
  using item = std::optional<std::tuple<int, std::string>>;
  auto indexed = [](std::vector<std::string> t) {
    return jmpco::wrap<item()>([t](jmpco::yielder<item()>& y) -> item {
      for (std::size_t i = 0; i < t.size(); ++i) y.yield(std::make_tuple(static_cast<int>(i + 1), t[i]));
      return std::nullopt;
    });
  };
  log_t lines;
  auto it = indexed({"a", "b", "c", "d"});
  for (item x = it(); x; x = it()) lines.push_back(fmt(std::get<0>(*x)) + " " + std::get<1>(*x));
  lines.push_back("loop finished");
  EXPECT_EQ(lines, (log_t{"1 a", "2 b", "3 c", "4 d", "loop finished"}));
}

TEST(Mirror, wrap_running_identity) {  // mirrors conformance/scenarios/wrap_running_identity.lua
  core* th = reinterpret_cast<core*>(1);
  auto f = jmpco::wrap<void()>([&](auto&) { th = jmpco::this_coroutine::running(); });
  f();
  EXPECT_NE(th, nullptr);  // a coroutine, not the main context (nullptr)
  EXPECT_NE(th, reinterpret_cast<core*>(1));
}

TEST(Mirror, wrap_self_call) {  // mirrors conformance/scenarios/wrap_self_call.lua
  log_t log;
  jmpco::wrapped<std::string()>* self = nullptr;
  auto f = jmpco::wrap<std::string()>([&](auto&) {
    std::exception_ptr e = pcall([&] { (*self)(); });
    log.push_back("self call: false " + text(e));
    return std::string("survived");
  });
  self = &f;
  EXPECT_EQ(f(), "survived");
  EXPECT_EQ(log, (log_t{"self call: false cannot resume non-suspended coroutine"}));
}

// Uncaught at top level: the error escapes the "main chunk" (a lambda) from the wrap call.
TEST(Mirror, wrap_uncaught_dead) {  // mirrors conformance/scenarios/wrap_uncaught_dead.lua
  log_t log;
  auto f = jmpco::wrap<int()>([](auto&) { return 1; });
  auto chunk = [&] {
    log.push_back(fmt(f()));
    log.push_back(fmt(f()));
  };
  try {
    chunk();
    ADD_FAILURE() << "no error reached the top";
  } catch (const jmpco::coroutine_error& e) {
    EXPECT_STREQ(e.what(), "cannot resume dead coroutine");  // Lua: "wrap_uncaught_dead.lua:4: ..."
  }
  EXPECT_EQ(log, (log_t{"1"}));
}

TEST(Mirror, wrap_uncaught_string) {  // mirrors conformance/scenarios/wrap_uncaught_string.lua
  log_t log;
  auto f = jmpco::wrap<std::string()>([](jmpco::yielder<std::string()>& y) -> std::string {
    y.yield("first");
    throw lua_error("second call fails");
  });
  auto chunk = [&] {
    log.push_back(f());
    f();
    log.push_back("not reached");
  };
  EXPECT_THROW(chunk(), lua_error);
  EXPECT_EQ(log, (log_t{"first"}));
}

TEST(Mirror, wrap_uncaught_table) {  // mirrors conformance/scenarios/wrap_uncaught_table.lua
  auto f = jmpco::wrap<void()>([](auto&) { throw new_table(); });
  EXPECT_THROW(f(), table_ref);
}

TEST(Mirror, wrap_values_with_nils) {  // mirrors conformance/scenarios/wrap_values_with_nils.lua
  using sig = values(values);
  log_t log;
  auto f = jmpco::wrap<sig>([&](jmpco::yielder<sig>& y, values args) {
    log.push_back("args " + fmt(static_cast<int>(args.size())) + "\t" + print(args));
    std::size_t n = y.yield(vals(nullptr, 2, nullptr)).size();
    log.push_back("resumed with " + fmt(static_cast<int>(n)));
    return vals(nullptr, nullptr);
  });
  EXPECT_EQ(f(vals(nullptr, nullptr, 3, nullptr)).size(), 3u);
  EXPECT_EQ(f(vals(1, nullptr, nullptr)).size(), 2u);
  EXPECT_EQ(log, (log_t{"args 4\tnil\tnil\t3\tnil", "resumed with 3"}));
}

TEST(Mirror, wrap_yield_across_wrap) {  // mirrors conformance/scenarios/wrap_yield_across_wrap.lua
  using sig = std::string();
  auto outer = jmpco::wrap<sig>([](jmpco::yielder<sig>& y) {
    auto inner = jmpco::wrap<sig>([](jmpco::yielder<sig>& iy) {
      iy.yield("inner 1");
      iy.yield("inner 2");
      return std::string();
    });
    std::string a = inner();
    y.yield("outer saw " + a);
    std::string b = inner();
    y.yield("outer saw " + b);
    return std::string("outer done");
  });
  EXPECT_EQ(outer(), "outer saw inner 1");
  EXPECT_EQ(outer(), "outer saw inner 2");
  EXPECT_EQ(outer(), "outer done");
}

}  // namespace
