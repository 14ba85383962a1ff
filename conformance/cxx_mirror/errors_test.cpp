// SPDX-License-Identifier: MIT
// Mirrors of the error_* and pcall_* scenarios. Lua's error(v) is `throw v`: strings are
// mirror::lua_error, tables are shared_ptr (identity), numbers int/double, booleans bool, nil
// nullptr. pcall is a try/catch (mirror::pcall). C++ errors carry no "NAME.lua:LINE: " position:
// where Lua adds one (level 1 and 2 errors), the mirror expects the bare message.
#include <string>
#include <tuple>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;

// ---- error_* -------------------------------------------------------------------------------

TEST(Mirror, error_after_yield) {  // mirrors conformance/scenarios/error_after_yield.lua
  using sig = std::string(std::string);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::string n) {
    std::string got = y.yield(fmt(std::stoi(n) * 2));
    if (got == "bad") throw lua_error("received bad input");
    return std::string("fine");
  });
  EXPECT_EQ(co.resume("21").value(), "42");
  jmpco::result<std::string> r = co.resume("bad");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "received bad input");  // Lua: "error_after_yield.lua:4: received bad input"
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Mirror, error_boolean_value) {  // mirrors conformance/scenarios/error_boolean_value.lua
  jmpco::coroutine<void()> co([](auto&) { throw false; });
  jmpco::result<void> r = co.resume();
  EXPECT_EQ(caught_as<bool>(r.error().exception()), std::optional<bool>(false));
  jmpco::coroutine<void()> co2([](auto&) { throw true; });  // error(true, 2): the level is ignored
  jmpco::result<void> r2 = co2.resume();
  EXPECT_EQ(caught_as<bool>(r2.error().exception()), std::optional<bool>(true));
}

TEST(Mirror, error_in_yield_args) {  // mirrors conformance/scenarios/error_in_yield_args.lua
  using out = std::tuple<int, int, int>;
  bool yielded = false;
  jmpco::coroutine<out()> co([&](jmpco::yielder<out()>& y) {
    auto bad = []() -> int { throw lua_error("while computing"); };
    y.yield(1, bad(), 3);
    yielded = true;
    return out{};
  });
  jmpco::result<out> r = co.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "while computing");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_FALSE(yielded);
}

// Lua's message "values 3 2.0 1.5" keeps 2.0 a float; C++ builds it with Lua's number format.
TEST(Mirror, error_message_concat_values) {  // mirrors conformance/scenarios/error_message_concat_values.lua
  jmpco::coroutine<void(long long, double)> co([](auto&, long long a, double b) {
    throw lua_error("values " + fmt(a) + " " + fmt(b) + " " + fmt(static_cast<double>(a) / 2));
  });
  EXPECT_EQ(text(co.resume(3, 2.0).error()), "values 3 2.0 1.5");
}

TEST(Mirror, error_nested_caught_by_outer) {  // mirrors conformance/scenarios/error_nested_caught_by_outer.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig> outer([&](jmpco::yielder<sig>& y) {
    jmpco::coroutine<void()> inner([](auto&) { throw lua_error("inner broke"); });
    jmpco::result<void> r = inner.resume();
    log.push_back(std::string("outer saw ") + (r.ok() ? "true " : "false ") + text(r.error()));
    y.yield("outer continues");
    return std::string("outer done");
  });
  EXPECT_EQ(outer.resume().value(), "outer continues");
  EXPECT_EQ(outer.resume().value(), "outer done");
  EXPECT_EQ(log, (std::vector<std::string>{"outer saw false inner broke"}));
}

// error(nil) and error(): the error value is nil (nullptr); resume still reports a failure.
TEST(Mirror, error_nil_value) {  // mirrors conformance/scenarios/error_nil_value.lua
  jmpco::coroutine<void()> co([](auto&) { throw nullptr; });
  jmpco::result<void> r = co.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::exception);
  EXPECT_TRUE(caught_as<std::nullptr_t>(r.error().exception()).has_value());
  jmpco::coroutine<void()> co2([](auto&) { throw nullptr; });
  EXPECT_TRUE(caught_as<std::nullptr_t>(co2.resume().error().exception()).has_value());
}

TEST(Mirror, error_number_value) {  // mirrors conformance/scenarios/error_number_value.lua
  jmpco::coroutine<void()> co([](auto&) { throw 404; });
  std::optional<int> e = caught_as<int>(co.resume().error().exception());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e + 1, 405);
  jmpco::coroutine<void()> co2([](auto&) { throw -1.5; });
  EXPECT_EQ(caught_as<double>(co2.resume().error().exception()), std::optional<double>(-1.5));
}

// pcall(error, "caught inside") -> a try/catch inside the coroutine.
TEST(Mirror, error_pcall_inside_coroutine) {  // mirrors conformance/scenarios/error_pcall_inside_coroutine.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) {
    std::exception_ptr e = pcall([] { throw lua_error("caught inside"); });
    log.push_back("pcall: false " + text(e));
    y.yield("alive");
    return std::string("done");
  });
  EXPECT_EQ(co.resume().value(), "alive");
  EXPECT_EQ(co.status(), status::suspended);
  EXPECT_EQ(co.resume().value(), "done");
  EXPECT_EQ(log, (std::vector<std::string>{"pcall: false caught inside"}));
}

// error(e, 0) rethrows the inner error unchanged: error::rethrow() rethrows the very exception
// object, so the outer coroutine dies with it. (Lua's second case, error(e) at level 1, only adds
// a position, which C++ does not have.)
TEST(Mirror, error_rethrow_from_outer) {  // mirrors conformance/scenarios/error_rethrow_from_outer.lua
  std::exception_ptr inner_error;
  jmpco::coroutine<void()> outer([&](auto&) {
    jmpco::coroutine<void()> inner([](auto&) { throw lua_error("root cause"); });
    jmpco::result<void> r = inner.resume();
    inner_error = r.error().exception();
    r.error().rethrow();
  });
  jmpco::result<void> r = outer.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "root cause");
  EXPECT_EQ(r.error().exception(), inner_error);
}

TEST(Mirror, error_string_level0) {  // mirrors conformance/scenarios/error_string_level0.lua
  jmpco::coroutine<void()> co([](auto&) { throw lua_error("no position"); });
  EXPECT_EQ(text(co.resume().error()), "no position");
}

TEST(Mirror, error_string_level1) {  // mirrors conformance/scenarios/error_string_level1.lua
  jmpco::coroutine<void()> co([](auto&) {
    int x = 1;
    (void)x;
    throw lua_error("level one");
  });
  jmpco::result<void> r = co.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "level one");  // Lua: "error_string_level1.lua:4: level one"
}

TEST(Mirror, error_table_identity) {  // mirrors conformance/scenarios/error_table_identity.lua
  table_ref e1 = new_table(0, "custom");
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    y.yield();
    throw e1;
  });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> r = co.resume();
  EXPECT_FALSE(r.ok());
  std::optional<table_ref> e = caught_as<table_ref>(r.error().exception());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, e1);
  EXPECT_EQ((*e)->name, "custom");
}

// assert(coroutine.resume(co)) -> result::value(), which rethrows the coroutine's own exception
// on the main context; uncaught, it ends the "main chunk" (a lambda here).
TEST(Mirror, error_top_from_resume_assert) {  // mirrors conformance/scenarios/error_top_from_resume_assert.lua
  std::vector<std::string> log;
  jmpco::coroutine<std::string()> co([](jmpco::yielder<std::string()>& y) -> std::string {
    y.yield("ok once");
    throw lua_error("coroutine failed");
  });
  auto chunk = [&] {
    log.push_back(co.resume().value());
    log.push_back(co.resume().value());
  };
  try {
    chunk();
    ADD_FAILURE() << "no error reached the top";
  } catch (const lua_error& e) {
    EXPECT_STREQ(e.what(), "coroutine failed");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"ok once"}));
}

// A raise on the main context (no coroutine to kill) throws there.
TEST(Mirror, error_top_level0) {  // mirrors conformance/scenarios/error_top_level0.lua
  std::vector<std::string> log;
  auto chunk = [&] {
    log.push_back("before");
    jmpco::this_coroutine::raise(jmpco::error(0, "plain message"));
  };
  try {
    chunk();
    ADD_FAILURE() << "raise returned";
  } catch (const jmpco::coroutine_error& e) {
    EXPECT_STREQ(e.what(), "plain message");
    EXPECT_EQ(e.error().code(), errc::raised);
  }
  EXPECT_EQ(log, (std::vector<std::string>{"before"}));
}

// A number error through a wrap called from the main chunk reaches the top as the bare number.
TEST(Mirror, error_top_nested_wrap_number) {  // mirrors conformance/scenarios/error_top_nested_wrap_number.lua
  auto f = jmpco::wrap<void()>([](auto&) { throw 7; });
  try {
    f();
    ADD_FAILURE() << "no error reached the top";
  } catch (int e) {
    EXPECT_EQ(e, 7);
  }
}

// The main chunk's pending __close handler -> a destructor in the main context's scope, run
// while the uncaught error leaves it (std::uncaught_exceptions() > 0 is "got an error value").
TEST(Mirror, error_top_tbc_main) {  // mirrors conformance/scenarios/error_top_tbc_main.lua
  static std::vector<std::string> log;
  log.clear();
  struct main_resource {
    ~main_resource() {
      log.push_back(std::string("closing main resource; got an error value: ") +
                    (std::uncaught_exceptions() > 0 ? "true" : "false"));
    }
  };
  auto chunk = [] {
    main_resource r;
    log.push_back("about to fail");
    throw lua_error("main failure");
  };
  EXPECT_THROW(chunk(), lua_error);
  EXPECT_EQ(log, (std::vector<std::string>{"about to fail", "closing main resource; got an error value: true"}));
}

// ---- pcall_* -------------------------------------------------------------------------------

// resume never throws for the coroutine's errors: the surrounding try block sees no exception.
TEST(Mirror, pcall_around_resume) {  // mirrors conformance/scenarios/pcall_around_resume.lua
  jmpco::coroutine<void()> co([](auto&) { throw lua_error("inside"); });
  jmpco::result<void> r1 = jmpco::error(errc::ok), r2 = jmpco::error(errc::ok);
  EXPECT_EQ(pcall([&] { r1 = co.resume(); }), nullptr);
  EXPECT_EQ(text(r1.error()), "inside");
  EXPECT_EQ(pcall([&] { r2 = co.resume(); }), nullptr);
  EXPECT_EQ(text(r2.error()), "cannot resume dead coroutine");
}

TEST(Mirror, pcall_around_wrap) {  // mirrors conformance/scenarios/pcall_around_wrap.lua
  auto f = jmpco::wrap<std::string()>([](jmpco::yielder<std::string()>& y) -> std::string {
    y.yield("one");
    throw lua_error("wrap raised");
  });
  std::string got;
  EXPECT_EQ(pcall([&] { got = f(); }), nullptr);
  EXPECT_EQ(got, "one");
  EXPECT_EQ(text(pcall([&] { f(); })), "wrap raised");
  EXPECT_EQ(text(pcall([&] { f(); })), "cannot resume dead coroutine");
}

TEST(Mirror, pcall_catches_in_coroutine) {  // mirrors conformance/scenarios/pcall_catches_in_coroutine.lua
  table_ref t = new_table();
  std::vector<std::string> log;
  auto co = jmpco::wrap<std::string()>([&](auto&) {
    log.push_back("false " + text(pcall([] { throw lua_error("s"); })));
    log.push_back("false " + fmt(*caught_as<int>(pcall([] { throw 12; }))));
    log.push_back(std::string("false ") + (caught_as<std::nullptr_t>(pcall([] { throw nullptr; })) ? "nil" : "?"));
    log.push_back(std::string("false ") + (*caught_as<bool>(pcall([] { throw false; })) ? "true" : "false"));
    std::exception_ptr e = pcall([&] { throw t; });
    log.push_back(std::string("false ") + (caught_as<table_ref>(e) == t ? "true" : "false"));
    return std::string("body survived");
  });
  EXPECT_EQ(co(), "body survived");
  EXPECT_EQ(log, (std::vector<std::string>{"false s", "false 12", "false nil", "false false", "false true"}));
}

// close() reports misuse as a result: a coroutine closing itself gets
// "cannot close a running coroutine"; closing the suspended one from the main context succeeds.
TEST(Mirror, pcall_close_inside_pcall) {  // mirrors conformance/scenarios/pcall_close_inside_pcall.lua
  std::string inside;
  jmpco::coroutine<void()>* self = nullptr;
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    jmpco::result<void> r = self->close();
    inside = text(r.error());
    y.yield();
  });
  self = &co;
  ASSERT_TRUE(co.resume().ok());
  EXPECT_EQ(inside, "cannot close a running coroutine");
  jmpco::result<void> closed = jmpco::error(errc::dead_coroutine);
  EXPECT_EQ(pcall([&] { closed = co.close(); }), nullptr);
  EXPECT_TRUE(closed.ok());
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Mirror, pcall_error_after_yield_object) {  // mirrors conformance/scenarios/pcall_error_after_yield_object.lua
  using out = std::tuple<std::string, bool>;
  table_ref obj = new_table();
  auto co = jmpco::wrap<out()>([&](jmpco::yielder<out()>& y) {
    std::exception_ptr e = pcall([&] {
      y.yield(out{"suspended inside pcall", true});
      throw obj;
    });
    return out{e ? "false" : "true", caught_as<table_ref>(e) == obj};
  });
  EXPECT_EQ(std::get<0>(co()), "suspended inside pcall");
  EXPECT_EQ(co(), (out{"false", true}));
}

TEST(Mirror, pcall_resume_inside_pcall) {  // mirrors conformance/scenarios/pcall_resume_inside_pcall.lua
  jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>& y, int a) {
    int b = y.yield(a * 2);
    return a + b;
  });
  int v1 = 0, v2 = 0;
  std::exception_ptr e = pcall([&] {
    v1 = co.resume(5).value();
    v2 = co.resume(7).value();
  });
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(v1, 10);
  EXPECT_EQ(v2, 12);
}

// Documented difference: jmpco's wrap rethrows the coroutine's exception as itself, so the three
// calls give the same "E" (Lua adds "pcall_wrap_error_positions.lua:5: " and ":7: " to the last two).
TEST(Mirror, pcall_wrap_error_positions) {  // mirrors conformance/scenarios/pcall_wrap_error_positions.lua
  auto mk = [] { return jmpco::wrap<int()>([](auto&) -> int { throw lua_error("E"); }); };
  auto f = mk();
  EXPECT_EQ(text(pcall(f)), "E");
  auto g = mk();
  EXPECT_EQ(text(pcall([&] { g(); })), "E");
  auto h = mk();
  EXPECT_EQ(text(pcall([&] {
              int x = h();
              (void)x;
            })),
            "E");
}

// xpcall's handler -> the catch block building xpcall's result from the message.
TEST(Mirror, pcall_xpcall_handler_message) {  // mirrors conformance/scenarios/pcall_xpcall_handler_message.lua
  using out = std::tuple<bool, std::string>;
  jmpco::coroutine<out()> co([](jmpco::yielder<out()>& y) {
    out handled;
    try {
      throw lua_error("failed here");
    } catch (const lua_error& m) {
      handled = out{false, "handled<" + std::string(m.what()) + ">"};
    }
    y.yield(handled);
    auto add = [](int a, int b) { return a + b; };
    return out{true, fmt(add(2, 3))};
  });
  EXPECT_EQ(co.resume().value(), (out{false, "handled<failed here>"}));
  EXPECT_EQ(co.resume().value(), (out{true, "5"}));
}

TEST(Mirror, pcall_yield_returns_values) {  // mirrors conformance/scenarios/pcall_yield_returns_values.lua
  using sig = values(values);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, values) {
    values r;
    std::exception_ptr e = pcall([&] {
      value a = y.yield(vals("first")).at(0);
      value b = y.yield(vals("second")).at(0);
      r = vals(a, b, nullptr);
    });
    r.insert(r.begin(), v(e == nullptr));
    return r;
  });
  EXPECT_EQ(print(co.resume({}).value()), "first");
  EXPECT_EQ(print(co.resume(vals("A")).value()), "second");
  values last = co.resume(vals("B")).value();
  EXPECT_EQ(last.size() + 1, 5u);  // + 1: resume's own true
  EXPECT_EQ(print(last), "true\tA\tB\tnil");
}

}  // namespace
