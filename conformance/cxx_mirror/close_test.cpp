// SPDX-License-Identifier: MIT
// Mirrors of the close_* and tbc_* scenarios. A to-be-closed variable is an object with a
// destructor (mirror::closer logs "close NAME"); where the __close handler must see the error or
// raise its own, mirror::with_close plays it. close() resumes a suspended coroutine with
// jmpco::forced_unwind thrown from its pending yield, so its destructors run, innermost first.
//
// Documented difference: an error that kills a coroutine unwinds its stack at once (C++
// exceptions), so its destructors run before resume returns; Lua's resume leaves the dead
// coroutine's __close handlers pending until coroutine.close runs them. close() then only hands
// out the error, once, like Lua's close.
#include <string>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;
using log_t = std::vector<std::string>;

// ---- close_* -------------------------------------------------------------------------------

TEST(Mirror, close_dead_by_error) {  // mirrors conformance/scenarios/close_dead_by_error.lua
  jmpco::coroutine<void()> co([](auto&) { throw lua_error("it broke"); });
  jmpco::result<void> r = co.resume();
  EXPECT_EQ(text(r.error()), "it broke");  // Lua: "close_dead_by_error.lua:2: it broke", both times
  jmpco::result<void> c1 = co.close();
  EXPECT_FALSE(c1.ok());
  EXPECT_EQ(text(c1.error()), "it broke");
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Mirror, close_dead_by_error_table) {  // mirrors conformance/scenarios/close_dead_by_error_table.lua
  table_ref obj = new_table();
  jmpco::coroutine<void()> co([&](auto&) { throw obj; });
  jmpco::result<void> r = co.resume();
  jmpco::result<void> c = co.close();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(caught_as<table_ref>(r.error().exception()), obj);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(caught_as<table_ref>(c.error().exception()), obj);
  EXPECT_TRUE(co.close().ok());  // a single true
}

TEST(Mirror, close_dead_by_error_values) {  // mirrors conformance/scenarios/close_dead_by_error_values.lua
  auto died_with = [](auto thrown) {
    jmpco::coroutine<void()> co([thrown](auto&) { throw thrown; });
    (void)co.resume();
    jmpco::result<void> c = co.close();
    EXPECT_FALSE(c.ok());
    return c.error().exception();
  };
  EXPECT_TRUE(caught_as<std::nullptr_t>(died_with(nullptr)).has_value());
  EXPECT_EQ(caught_as<bool>(died_with(false)), std::optional<bool>(false));
  EXPECT_EQ(caught_as<int>(died_with(17)), std::optional<int>(17));
  EXPECT_EQ(caught_as<double>(died_with(0.25)), std::optional<double>(0.25));
  EXPECT_EQ(text(died_with(lua_error("text"))), "text");  // Lua: "close_dead_by_error_values.lua:3: text"
}

TEST(Mirror, close_dead_normally) {  // mirrors conformance/scenarios/close_dead_normally.lua
  jmpco::coroutine<std::string()> co([](auto&) { return std::string("done"); });
  EXPECT_EQ(co.resume().value(), "done");
  EXPECT_TRUE(co.close().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(co.status(), status::dead);
}

// assert(coroutine.close(co)) -> close().value(), which rethrows the error the coroutine died with.
TEST(Mirror, close_error_through_uncaught) {  // mirrors conformance/scenarios/close_error_through_uncaught.lua
  jmpco::coroutine<void()> co([](auto&) { throw lua_error("died"); });
  (void)co.resume();
  log_t log;
  auto chunk = [&] {
    log.push_back("asserting");
    co.close().value();
  };
  try {
    chunk();
    ADD_FAILURE() << "no error reached the top";
  } catch (const lua_error& e) {
    EXPECT_STREQ(e.what(), "died");
  }
  EXPECT_EQ(log, (log_t{"asserting"}));
}

TEST(Mirror, close_from_other_coroutine) {  // mirrors conformance/scenarios/close_from_other_coroutine.lua
  log_t log;
  jmpco::coroutine<std::string()> victim([&](jmpco::yielder<std::string()>& y) {
    closer r(log, "victim resource");
    y.yield("victim suspended");
    return std::string();
  });
  EXPECT_EQ(victim.resume().value(), "victim suspended");
  jmpco::coroutine<std::string()> closer_co([&](auto&) {
    log.push_back("closer: victim is " + st(victim.status()));
    bool ok = victim.close().ok();
    log.push_back(std::string("closer: close returned ") + (ok ? "true" : "false") + " victim is " +
                  st(victim.status()));
    return std::string("closer done");
  });
  EXPECT_EQ(closer_co.resume().value(), "closer done");
  EXPECT_EQ(log, (log_t{"closer: victim is suspended", "close victim resource",
                        "closer: close returned true victim is dead"}));
}

TEST(Mirror, close_never_started) {  // mirrors conformance/scenarios/close_never_started.lua
  bool ran = false;
  jmpco::coroutine<void()> co([&](auto&) { ran = true; });
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(text(co.resume().error()), "cannot resume dead coroutine");
  EXPECT_FALSE(ran);
}

TEST(Mirror, close_normal) {  // mirrors conformance/scenarios/close_normal.lua
  log_t log;
  jmpco::coroutine<std::string()>* outer_handle = nullptr;
  jmpco::coroutine<std::string()> outer([&](auto&) {
    jmpco::coroutine<void()> inner([&](auto&) {
      jmpco::result<void> r = outer_handle->close();
      log.push_back(std::string(r.ok() ? "true" : "false") + " " + text(r.error()));
      log.push_back(st(outer_handle->status()));
    });
    (void)inner.resume();
    return std::string("outer finished");
  });
  outer_handle = &outer;
  EXPECT_EQ(outer.resume().value(), "outer finished");
  EXPECT_EQ(log, (log_t{"false cannot close a normal coroutine", "normal"}));
}

// Documented difference (see the top of this file): the destructor runs while the error unwinds
// the body, so it already ran when resume returns; close() then returns the error once.
TEST(Mirror, close_pending_tbc_after_error) {  // mirrors conformance/scenarios/close_pending_tbc_after_error.lua
  log_t log;
  jmpco::coroutine<void()> co([&](auto&) {
    with_close([&](std::exception_ptr e) { log.push_back("closing with " + (e ? text(e) : "nil")); },
               [] { throw lua_error("body error"); });
  });
  jmpco::result<void> r = co.resume();
  log.push_back("resume: false " + text(r.error()));
  log.push_back("status: " + st(co.status()));
  jmpco::result<void> c = co.close();
  log.push_back(std::string("close: ") + (c.ok() ? "true" : "false " + text(c.error())));
  log.push_back(std::string("close again: ") + (co.close().ok() ? "true" : "false"));
  EXPECT_EQ(log, (log_t{"closing with body error", "resume: false body error", "status: dead",
                        "close: false body error", "close again: true"}));
}

TEST(Mirror, close_resume_other_in_handler) {  // mirrors conformance/scenarios/close_resume_other_in_handler.lua
  using hsig = std::string(std::string);
  static log_t log;
  static jmpco::coroutine<hsig>* helper_handle;
  log.clear();
  jmpco::coroutine<hsig> helper([](jmpco::yielder<hsig>& y, std::string x) -> std::string {
    while (true) x = y.yield("helper got " + x);
  });
  helper_handle = &helper;
  struct handler {
    ~handler() { log.push_back("true " + helper_handle->resume("from handler").value()); }
  };
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>& y) {
    handler r;
    y.yield();
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(helper.status(), status::suspended);
  EXPECT_EQ(log, (log_t{"true helper got from handler"}));
}

TEST(Mirror, close_running_self) {  // mirrors conformance/scenarios/close_running_self.lua
  log_t log;
  jmpco::coroutine<std::string()>* self = nullptr;
  jmpco::coroutine<std::string()> co([&](auto&) {
    log.push_back(text(self->close().error()));
    std::exception_ptr e = pcall([&] { self->close().value(); });  // raising form
    log.push_back(text(e));
    return std::string("alive");
  });
  self = &co;
  EXPECT_EQ(co.resume().value(), "alive");
  EXPECT_EQ(log, (log_t{"cannot close a running coroutine", "cannot close a running coroutine"}));
}

TEST(Mirror, close_suspended) {  // mirrors conformance/scenarios/close_suspended.lua
  bool continued = false;
  jmpco::coroutine<std::string()> co([&](jmpco::yielder<std::string()>& y) {
    y.yield("a");
    continued = true;
    return std::string();
  });
  EXPECT_EQ(co.resume().value(), "a");
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_FALSE(continued);
}

// A __close handler that raises during close -> with_close's handler throwing: its exception
// replaces forced_unwind, outer handlers see it, and close() returns it.
TEST(Mirror, close_tbc_error) {  // mirrors conformance/scenarios/close_tbc_error.lua
  log_t log;
  auto seen = [](std::exception_ptr e) { return e ? text(e) : std::string("nil"); };
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    with_close([&](std::exception_ptr e) { log.push_back("a sees " + seen(e)); },
               [&] {
                 with_close(
                     [&](std::exception_ptr e) {
                       log.push_back("b sees " + seen(e));
                       throw lua_error("b failed");
                     },
                     [&] {
                       with_close([&](std::exception_ptr e) { log.push_back("c sees " + seen(e)); },
                                  [&] { y.yield(); });
                     });
               });
  });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> c = co.close();
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(text(c.error()), "b failed");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(log, (log_t{"c sees nil", "b sees nil", "a sees b failed"}));
}

TEST(Mirror, close_tbc_error_chain) {  // mirrors conformance/scenarios/close_tbc_error_chain.lua
  log_t log;
  auto seen = [](std::exception_ptr e) { return e ? text(e) : std::string("nil"); };
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    with_close(
        [&](std::exception_ptr e) {
          log.push_back("a sees " + seen(e));
          throw lua_error("from a");
        },
        [&] {
          with_close(
              [&](std::exception_ptr e) {
                log.push_back("b sees " + seen(e));
                throw lua_error("from b");
              },
              [&] { y.yield(); });
        });
  });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> c = co.close();
  EXPECT_EQ(text(c.error()), "from a");
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(log, (log_t{"b sees nil", "a sees from b"}));
}

TEST(Mirror, close_tbc_error_table) {  // mirrors conformance/scenarios/close_tbc_error_table.lua
  table_ref obj = new_table(0, "close failure");
  jmpco::coroutine<void()> co(
      [&](jmpco::yielder<void()>& y) { with_close([&](std::exception_ptr) { throw obj; }, [&] { y.yield(); }); });
  ASSERT_TRUE(co.resume().ok());
  jmpco::result<void> c = co.close();
  EXPECT_FALSE(c.ok());
  std::optional<table_ref> e = caught_as<table_ref>(c.error().exception());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, obj);
  EXPECT_EQ((*e)->name, "close failure");
  EXPECT_EQ(co.status(), status::dead);
}

JMPCO_NOINLINE void close_level2(log_t& log) {
  closer x(log, "level2");
  jmpco::this_coroutine::try_yield<std::string()>("deep").value();
}
JMPCO_NOINLINE void close_level1(log_t& log) {
  closer y(log, "level1");
  close_level2(log);
}

TEST(Mirror, close_tbc_nested_frames) {  // mirrors conformance/scenarios/close_tbc_nested_frames.lua
  log_t log;
  jmpco::coroutine<std::string()> co([&](auto&) {
    closer z(log, "body");
    close_level1(log);
    return std::string();
  });
  EXPECT_EQ(co.resume().value(), "deep");
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(log, (log_t{"close level2", "close level1", "close body"}));
}

TEST(Mirror, close_tbc_order) {  // mirrors conformance/scenarios/close_tbc_order.lua
  log_t log;
  jmpco::coroutine<std::string()> co([&](jmpco::yielder<std::string()>& y) {
    closer a(log, "a");
    closer b(log, "b");
    {
      closer c(log, "c");
      y.yield("inside block");
    }
    return std::string();
  });
  EXPECT_EQ(co.resume().value(), "inside block");
  log.push_back("closing");
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(log, (log_t{"closing", "close c", "close b", "close a"}));
}

TEST(Mirror, close_then_resume) {  // mirrors conformance/scenarios/close_then_resume.lua
  jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) {
    y.yield(1);
    return 2;
  });
  (void)co.resume();
  (void)co.close();
  jmpco::result<int> r = co.resume();
  EXPECT_EQ(r.code(), errc::dead_coroutine);
  EXPECT_EQ(text(r.error()), "cannot resume dead coroutine");
}

// DIVERGENCE (reported): in Lua a yield inside a __close handler run by coroutine.close fails
// ("attempt to yield across a C-call boundary"), close returns false and that error, and the
// coroutine is dead. In jmpco a yield from code that close() runs without an exception in flight
// (here a catch block for forced_unwind) succeeds: close() returns ok while the coroutine is left
// suspended. (From a destructor during close() the same yield is a fatal error instead.)
// Enable once close() refuses such a yield.
TEST(Mirror, yield_in_close_during_close) {  // mirrors conformance/scenarios/yield_in_close_during_close.lua
  log_t log;
  jmpco::coroutine<std::string()> co([&](jmpco::yielder<std::string()>& y) {
    try {
      y.yield("suspended");
    } catch (const jmpco::forced_unwind&) {
      log.push_back(std::string("handler runs, yieldable = ") +
                    (jmpco::this_coroutine::is_yieldable() ? "true" : "false"));
      jmpco::result<void> r = y.try_yield("never");
      log.push_back(r.ok() ? "yielded" : text(r.error()));
      y.yield("never");  // like Lua's yield there: raises the refusal, which close returns
    }
    return std::string();
  });
  EXPECT_EQ(co.resume().value(), "suspended");
  jmpco::result<void> c = co.close();
  ASSERT_FALSE(c.ok());
  EXPECT_STREQ(c.error().what(), "attempt to yield across a C-call boundary");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(log, (log_t{"handler runs, yieldable = false", "attempt to yield across a C-call boundary"}));
}

// ---- tbc_* ---------------------------------------------------------------------------------

TEST(Mirror, tbc_block_exit_order) {  // mirrors conformance/scenarios/tbc_block_exit_order.lua
  log_t log;
  auto co = jmpco::wrap<std::string()>([&](jmpco::yielder<std::string()>& y) {
    {
      closer a(log, "a");
      closer b(log, "b");
      y.yield("in block");
      log.push_back("leaving block");
    }
    return std::string("after block");
  });
  log.push_back(co());
  log.push_back(co());
  EXPECT_EQ(log, (log_t{"in block", "leaving block", "close b", "close a", "after block"}));
}

TEST(Mirror, tbc_close_after_multiple_yields) {  // mirrors conformance/scenarios/tbc_close_after_multiple_yields.lua
  log_t log;
  jmpco::coroutine<int()> co([&](jmpco::yielder<int()>& y) {
    closer a(log, "a");
    {
      closer b(log, "b");
      y.yield(1);
    }
    closer c(log, "c");
    y.yield(2);
    return 0;
  });
  log.push_back(fmt(co.resume().value()));
  log.push_back(fmt(co.resume().value()));
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(log, (log_t{"1", "close b", "2", "close c", "close a"}));
}

TEST(Mirror, tbc_close_handler_uses_upvalues) {  // mirrors conformance/scenarios/tbc_close_handler_uses_upvalues.lua
  static int counter;
  static log_t log;
  counter = 0;
  log.clear();
  struct reporter {
    ~reporter() { log.push_back("counter at close: " + fmt(counter)); }
  };
  jmpco::coroutine<int()> co([](jmpco::yielder<int()>& y) -> int {
    reporter r;
    while (true) {
      counter = counter + 1;
      y.yield(counter);
    }
  });
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(co.resume().value(), i);
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(log, (log_t{"counter at close: 3"}));
}

// "A nil error" when closed by coroutine.close -> the unwinding exception is jmpco::forced_unwind
// (no error), and the handler runs once with its own object.
TEST(Mirror, tbc_closed_by_close_nil_error) {  // mirrors conformance/scenarios/tbc_closed_by_close_nil_error.lua
  int calls = 0;
  bool was_forced_unwind = false;
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    try {
      y.yield();
    } catch (const jmpco::forced_unwind&) {
      ++calls;
      was_forced_unwind = true;
      throw;
    } catch (...) {
      ++calls;
      throw;
    }
  });
  ASSERT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.close().ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(was_forced_unwind);
}

TEST(Mirror, tbc_const_local) {  // mirrors conformance/scenarios/tbc_const_local.lua
  auto co = jmpco::wrap<std::string()>([](jmpco::yielder<std::string()>& y) {
    const int limit = 3;
    const std::string name = "k";
    auto show = [&] { return name + fmt(limit); };
    for (int i = 1; i <= limit; ++i) y.yield(show() + ":" + fmt(i));
    return fmt(limit * 2);
  });
  log_t got;
  for (int i = 0; i < 4; ++i) got.push_back(co());
  EXPECT_EQ(got, (log_t{"k3:1", "k3:2", "k3:3", "6"}));
}

// A __close handler raising at normal block exit -> a destructor declared noexcept(false) that
// throws when no exception is in flight: the error kills the coroutine.
TEST(Mirror, tbc_error_in_close_normal_exit) {  // mirrors conformance/scenarios/tbc_error_in_close_normal_exit.lua
  static log_t log;
  log.clear();
  struct failing {
    ~failing() noexcept(false) {
      log.push_back("closing with nil");
      if (std::uncaught_exceptions() == 0) throw lua_error("close blew up");
    }
  };
  jmpco::coroutine<std::string()> co([](jmpco::yielder<std::string()>& y) {
    {
      failing r;
      y.yield("holding");
    }
    return std::string("unreachable");
  });
  EXPECT_EQ(co.resume().value(), "holding");
  jmpco::result<std::string> r = co.resume();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "close blew up");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(log, (log_t{"closing with nil"}));
}

TEST(Mirror, tbc_error_in_close_replaces) {  // mirrors conformance/scenarios/tbc_error_in_close_replaces.lua
  log_t log;
  auto co = jmpco::wrap<std::string()>([&](auto&) {
    std::exception_ptr e = pcall([&] {
      with_close(
          [&](std::exception_ptr err) {
            log.push_back("handler got " + text(err));
            throw lua_error("replacement");
          },
          [] { throw lua_error("original"); });
    });
    return "false " + text(e);
  });
  EXPECT_EQ(co(), "false replacement");
  EXPECT_EQ(log, (log_t{"handler got original"}));
}

// Lua: resume returns "body error", then close runs the handler, which fails, and close returns
// "handler error". In C++ the handler runs during the unwind inside resume, so its error replaces
// the body's there already: resume and close both report "handler error".
TEST(Mirror, tbc_error_then_close_error) {  // mirrors conformance/scenarios/tbc_error_then_close_error.lua
  log_t log;
  jmpco::coroutine<void()> co([&](auto&) {
    with_close(
        [&](std::exception_ptr e) {
          log.push_back("handler sees " + text(e));
          throw lua_error("handler error");
        },
        [] { throw lua_error("body error"); });
  });
  jmpco::result<void> r = co.resume();
  EXPECT_EQ(text(r.error()), "handler error");
  jmpco::result<void> c = co.close();
  EXPECT_EQ(text(c.error()), "handler error");
  EXPECT_EQ(log, (log_t{"handler sees body error"}));
}

TEST(Mirror, tbc_error_value_passed) {  // mirrors conformance/scenarios/tbc_error_value_passed.lua
  log_t log;
  table_ref errobj = new_table();
  auto co = jmpco::wrap<std::string()>([&](auto&) {
    std::exception_ptr e = pcall([&] {
      with_close(
          [&](std::exception_ptr err) {
            log.push_back(std::string("handler got the error object: ") +
                          (caught_as<table_ref>(err) == errobj ? "true" : "false"));
          },
          [&] { throw errobj; });
    });
    log.push_back(std::string("pcall: false ") + (caught_as<table_ref>(e) == errobj ? "true" : "false"));
    return std::string("done");
  });
  EXPECT_EQ(co(), "done");
  EXPECT_EQ(log, (log_t{"handler got the error object: true", "pcall: false true"}));
}

// The generic for's closing value -> an object owned by the iterated generator: it is destroyed
// when the loop's range is, at the end of the loop and when it is left by break (the generator is
// then closed while suspended).
TEST(Mirror, tbc_generic_for_closing_value) {  // mirrors conformance/scenarios/tbc_generic_for_closing_value.lua
  log_t log;
  auto counting = [&log](const std::string& name) {
    auto closing = std::make_shared<closer>(log, "value of " + name);
    return jmpco::generator<int>([closing](jmpco::yielder<int()>& y) {
      for (int k = 1; k <= 3; ++k) y.yield(k);
    });
  };
  auto co = jmpco::wrap<std::string()>([&](jmpco::yielder<std::string()>& y) {
    for (int i : counting("full loop")) y.yield("full " + fmt(i));
    for (int i : counting("broken loop")) {
      if (i == 2) break;
      y.yield("broken " + fmt(i));
    }
    return std::string("done");
  });
  for (int i = 0; i < 5; ++i) log.push_back(co());
  EXPECT_EQ(log, (log_t{"full 1", "full 2", "full 3", "close value of full loop", "broken 1",
                        "close value of broken loop", "done"}));
}

TEST(Mirror, tbc_loop_iterations) {  // mirrors conformance/scenarios/tbc_loop_iterations.lua
  log_t log;
  auto co = jmpco::wrap<std::string()>([&](jmpco::yielder<std::string()>& y) {
    for (int i = 1; i <= 5; ++i) {
      closer r(log, "iteration " + fmt(i));
      if (i == 3) break;
      y.yield(fmt(i));
    }
    return std::string("loop left");
  });
  for (int i = 0; i < 3; ++i) log.push_back(co());
  EXPECT_EQ(log, (log_t{"1", "close iteration 1", "2", "close iteration 2", "close iteration 3", "loop left"}));
}

TEST(Mirror, tbc_main_chunk_block) {  // mirrors conformance/scenarios/tbc_main_chunk_block.lua
  static log_t log;
  log.clear();
  struct main_block {
    ~main_block() {
      log.push_back(std::string("main block closed nil ") + (jmpco::this_coroutine::is_yieldable() ? "true" : "false"));
    }
  };
  {
    main_block r;
    log.push_back("inside main block");
  }
  log.push_back("after main block");
  EXPECT_EQ(log, (log_t{"inside main block", "main block closed nil false", "after main block"}));
}

TEST(Mirror, tbc_pcall_in_coroutine) {  // mirrors conformance/scenarios/tbc_pcall_in_coroutine.lua
  log_t log;
  auto res = [&](const std::string& name) {
    return [&log, name](std::exception_ptr e) { log.push_back("close " + name + " " + (e ? text(e) : "nil")); };
  };
  jmpco::coroutine<std::string()> co([&](jmpco::yielder<std::string()>& y) {
    return with_close(res("outer"), [&] {
      std::exception_ptr e = pcall([&] { with_close(res("inner"), [] { throw lua_error("inner failure"); }); });
      log.push_back("false " + text(e));
      y.yield("outer still open");
      return std::string();
    });
  });
  EXPECT_EQ(co.resume().value(), "outer still open");
  EXPECT_TRUE(co.resume().ok());
  EXPECT_EQ(log, (log_t{"close inner inner failure", "false inner failure", "close outer nil"}));
}

// The return values are computed (the yield among them) before the destructor runs, and survive it.
TEST(Mirror, tbc_return_values_kept) {  // mirrors conformance/scenarios/tbc_return_values_kept.lua
  using out = std::vector<std::string>;
  log_t log;
  jmpco::coroutine<out(std::string)> co([&](jmpco::yielder<out(std::string)>& y, std::string) {
    closer r(log, "before return completes");
    return out{"r1", "r2", y.yield(out{"yielded before return"})};
  });
  EXPECT_EQ(co.resume("").value(), (out{"yielded before return"}));
  EXPECT_EQ(co.resume("r3").value(), (out{"r1", "r2", "r3"}));
  EXPECT_EQ(log, (log_t{"close before return completes"}));
}

JMPCO_NOINLINE void tbc_deeper(log_t& log) {
  with_close([&](std::exception_ptr e) { log.push_back("close deeper " + text(e)); },
             [] { throw lua_error("deep failure"); });
}

// wrap closing the failed coroutine's variables -> the exception unwinding its frames.
TEST(Mirror, tbc_wrap_error_close_order) {  // mirrors conformance/scenarios/tbc_wrap_error_close_order.lua
  log_t log;
  auto f = jmpco::wrap<void()>([&](auto&) {
    with_close([&](std::exception_ptr e) { log.push_back("close top " + text(e)); }, [&] { tbc_deeper(log); });
  });
  std::exception_ptr e = pcall(f);
  log.push_back("false " + text(e));
  EXPECT_EQ(log, (log_t{"close deeper deep failure", "close top deep failure", "false deep failure"}));
}

}  // namespace
