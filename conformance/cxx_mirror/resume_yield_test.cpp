// SPDX-License-Identifier: MIT
// Mirrors of the resume_*, yield_* and values_* scenarios: values both ways through resume and
// yield, misuse of resume and yield, yields from nested calls, loops, iterators, methods,
// destructors and try blocks.
#include <string>
#include <tuple>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;

// ---- resume_* ------------------------------------------------------------------------------

// Lua prefixes the message with "resume_dead_after_error.lua:2: "; C++ errors carry no position.
TEST(Mirror, resume_dead_after_error) {  // mirrors conformance/scenarios/resume_dead_after_error.lua
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) { throw lua_error("first failure"); });
  jmpco::result<void> first = co.resume();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.code(), errc::exception);
  EXPECT_EQ(text(first.error()), "first failure");
  EXPECT_EQ(co.status(), status::dead);
  jmpco::result<void> second = co.resume();
  EXPECT_EQ(second.code(), errc::dead_coroutine);
  EXPECT_EQ(text(second.error()), "cannot resume dead coroutine");
}

// resume's arguments are fixed by the signature: the "extra args" of the third resume travel as
// a vector, which a dead coroutine never receives.
TEST(Mirror, resume_dead_after_return) {  // mirrors conformance/scenarios/resume_dead_after_return.lua
  using sig = int(std::vector<std::string>);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&, std::vector<std::string>) { return 1; });
  EXPECT_EQ(co.resume({}).value(), 1);
  EXPECT_EQ(text(co.resume({}).error()), "cannot resume dead coroutine");
  jmpco::result<int> extra = co.resume({"extra", "args"});
  EXPECT_EQ(extra.code(), errc::dead_coroutine);
  EXPECT_EQ(text(extra.error()), "cannot resume dead coroutine");
  EXPECT_EQ(co.status(), status::dead);
}

// The table {code = 7} is a shared_ptr thrown by the body: resume hands back the same object.
TEST(Mirror, resume_error_value_untouched) {  // mirrors conformance/scenarios/resume_error_value_untouched.lua
  table_ref errobj = new_table(7);
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>&) { throw errobj; });
  jmpco::result<void> r = co.resume();
  ASSERT_FALSE(r.ok());
  std::optional<table_ref> e = caught_as<table_ref>(r.error().exception());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, errobj);
  EXPECT_EQ((*e)->code, 7);
}

TEST(Mirror, resume_first_args) {  // mirrors conformance/scenarios/resume_first_args.lua
  std::vector<std::string> log;
  jmpco::coroutine<int(int, int, int)> co([&](auto&, int a, int b, int c) {
    log.push_back("body got " + fmt(a) + " " + fmt(b) + " " + fmt(c));
    return a + b + c;
  });
  EXPECT_EQ(co.resume(1, 2, 3).value(), 6);
  EXPECT_EQ(log, (std::vector<std::string>{"body got 1 2 3"}));
}

TEST(Mirror, resume_from_other_coroutine) {  // mirrors conformance/scenarios/resume_from_other_coroutine.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig> b([&](jmpco::yielder<sig>& y) {
    log.push_back("b: step 1");
    y.yield("from b 1");
    log.push_back("b: step 2");
    y.yield("from b 2");
    return std::string("b returns");
  });
  jmpco::coroutine<sig> a([&](jmpco::yielder<sig>& y) {
    log.push_back("a got " + b.resume().value());
    log.push_back("a got " + b.resume().value());
    y.yield("a yields to main");
    log.push_back("a got " + b.resume().value());
    return std::string("a returns");
  });
  log.push_back("main got " + a.resume().value());
  log.push_back("main got " + a.resume().value());
  EXPECT_EQ(a.status(), status::dead);
  EXPECT_EQ(b.status(), status::dead);
  EXPECT_EQ(log, (std::vector<std::string>{"b: step 1", "a got from b 1", "b: step 2", "a got from b 2",
                                           "main got a yields to main", "a got b returns", "main got a returns"}));
}

TEST(Mirror, resume_interleaved) {  // mirrors conformance/scenarios/resume_interleaved.lua
  using sig = std::string();
  auto counter = [](std::string name, int step) {
    return jmpco::coroutine<sig>([name, step](jmpco::yielder<sig>& y) -> std::string {
      int v = 0;
      while (true) {
        v += step;
        y.yield(name + "=" + fmt(v));
      }
    });
  };
  jmpco::coroutine<sig> x = counter("x", 1), y = counter("y", 10);
  std::vector<std::string> lines;
  for (int i = 1; i <= 4; ++i) lines.push_back(x.resume().value() + "\t" + y.resume().value());
  EXPECT_EQ(lines, (std::vector<std::string>{"x=1\ty=10", "x=2\ty=20", "x=3\ty=30", "x=4\ty=40"}));
}

// The second resume passes ("x", "y"), the third ("z", "ignored"): two optional strings each time.
TEST(Mirror, resume_later_args) {  // mirrors conformance/scenarios/resume_later_args.lua
  using opt = std::optional<std::string>;
  using sig = std::string(opt, opt);
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, opt first, opt) {
    log.push_back("start " + *first);
    auto [x, yy] = y.yield("y1");
    log.push_back("after first yield " + *x + " " + *yy);
    auto [z, ignored] = y.yield("y2");
    log.push_back("after second yield " + *z);
    return std::string("end");
  });
  EXPECT_EQ(co.resume("s", std::nullopt).value(), "y1");
  EXPECT_EQ(co.resume("x", "y").value(), "y2");
  EXPECT_EQ(co.resume("z", "ignored").value(), "end");
  EXPECT_EQ(log, (std::vector<std::string>{"start s", "after first yield x y", "after second yield z"}));
}

TEST(Mirror, resume_normal) {  // mirrors conformance/scenarios/resume_normal.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig>* outer_handle = nullptr;
  jmpco::coroutine<sig> outer([&](jmpco::yielder<sig>&) {
    jmpco::coroutine<sig> inner([&](jmpco::yielder<sig>&) {
      log.push_back("outer status from inner: " + st(outer_handle->status()));
      jmpco::result<std::string> r = outer_handle->resume();
      log.push_back("resume outer from inner: " + text(r.error()));
      return std::string("inner done");
    });
    log.push_back("outer resumes inner: " + inner.resume().value());
    return std::string("outer done");
  });
  outer_handle = &outer;
  EXPECT_EQ(outer.resume().value(), "outer done");
  EXPECT_EQ(log, (std::vector<std::string>{"outer status from inner: normal",
                                           "resume outer from inner: cannot resume non-suspended coroutine",
                                           "outer resumes inner: inner done"}));
}

// "Just true" is an ok result<void>; yield() with no values is yielder<void()>::yield().
TEST(Mirror, resume_return_nothing) {  // mirrors conformance/scenarios/resume_return_nothing.lua
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) {});
  EXPECT_TRUE(co.resume().ok());
  jmpco::coroutine<void()> co2([](jmpco::yielder<void()>& y) { y.yield(); });
  EXPECT_TRUE(co2.resume().ok());
  EXPECT_TRUE(co2.resume().ok());
  EXPECT_EQ(co2.status(), status::dead);
}

TEST(Mirror, resume_returns_body_values) {  // mirrors conformance/scenarios/resume_returns_body_values.lua
  using out = std::tuple<int, std::string, bool, double>;
  jmpco::coroutine<out()> co([](jmpco::yielder<out()>&) { return out{10, "ten", true, 10.5}; });
  EXPECT_EQ(co.resume().value(), (out{10, "ten", true, 10.5}));
  EXPECT_EQ(co.status(), status::dead);
}

TEST(Mirror, resume_returns_false_not_raise) {  // mirrors conformance/scenarios/resume_returns_false_not_raise.lua
  jmpco::coroutine<void()> co([](jmpco::yielder<void()>&) { throw lua_error("inside"); });
  bool continued = false;
  jmpco::result<void> r = co.resume();  // returns; never throws
  continued = true;
  EXPECT_TRUE(continued);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(text(r.error()), "inside");
  EXPECT_EQ(text(co.resume().error()), "cannot resume dead coroutine");
}

TEST(Mirror, resume_self) {  // mirrors conformance/scenarios/resume_self.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig>* self = nullptr;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>&) {
    jmpco::result<std::string> r = self->resume();
    log.push_back(std::string("inner resume: ") + (r.ok() ? "true" : "false") + " " + text(r.error()));
    log.push_back("status of self: " + st(self->status()));
    return std::string("still alive");
  });
  self = &co;
  EXPECT_EQ(co.resume().value(), "still alive");
  EXPECT_EQ(log, (std::vector<std::string>{"inner resume: false cannot resume non-suspended coroutine",
                                           "status of self: running"}));
}

// Lua passes {5} to the first resume and nothing later: an optional<int>. The yielded squares and
// the final "finished" are one Lua value each.
TEST(Mirror, resume_until_dead) {  // mirrors conformance/scenarios/resume_until_dead.lua
  using sig = value(std::optional<int>);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::optional<int> n) {
    for (int i = 1; i <= *n; ++i) y.yield(v(i * i));
    return v("finished");
  });
  std::vector<std::string> lines;
  std::optional<int> args = 5;
  int count = 0;
  while (co.status() != status::dead) {
    jmpco::result<value> r = co.resume(args);
    ++count;
    lines.push_back(fmt(count) + " " + (r.ok() ? "true " : "false ") + str(r.value()));
    args.reset();
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"1 true 1", "2 true 4", "3 true 9", "4 true 16", "5 true 25",
                                             "6 true finished"}));
}

// ---- yield_* -------------------------------------------------------------------------------

// pcall -> try/catch (mirror::pcall); a yield inside two nested try blocks crosses both.
TEST(Mirror, yield_across_nested_pcall) {  // mirrors conformance/scenarios/yield_across_nested_pcall.lua
  using sig = std::string(std::string);
  std::vector<std::string> log;
  auto co = jmpco::wrap<sig>([&](jmpco::yielder<sig>& y, std::string) {
    std::string outer_result;
    std::exception_ptr e1 = pcall([&] {
      std::string inner_result;
      std::exception_ptr e2 = pcall([&] {
        std::string v1 = y.yield("deepest");
        inner_result = "inner\t" + v1;
      });
      log.push_back(std::string("inner pcall: ") + (e2 ? "false" : "true") + "\t" + inner_result);
      std::string w = y.yield("middle");
      outer_result = "outer\t" + w;
    });
    log.push_back(std::string("outer pcall: ") + (e1 ? "false" : "true") + "\t" + outer_result);
    return std::string("done");
  });
  EXPECT_EQ(co(""), "deepest");
  EXPECT_EQ(co("v1"), "middle");
  EXPECT_EQ(co("v2"), "done");
  EXPECT_EQ(log, (std::vector<std::string>{"inner pcall: true\tinner\tv1", "outer pcall: true\touter\tv2"}));
}

TEST(Mirror, yield_across_pcall) {  // mirrors conformance/scenarios/yield_across_pcall.lua
  using sig = value(int);
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, int) {
    int a = 0;
    std::string b;
    std::exception_ptr e = pcall([&] {
      int x = 10;
      int got = y.yield(v(x + 1));
      a = got * 2;
      b = "tail";
    });
    log.push_back(std::string("pcall returned ") + (e ? "false" : "true") + " " + fmt(a) + " " + b);
    return v("body end");
  });
  EXPECT_EQ(co.resume(0).value(), v(11));
  EXPECT_EQ(co.resume(21).value(), v("body end"));
  EXPECT_EQ(log, (std::vector<std::string>{"pcall returned true 42 tail"}));
}

TEST(Mirror, yield_across_pcall_then_error) {  // mirrors conformance/scenarios/yield_across_pcall_then_error.lua
  using sig = std::string();
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) {
    std::exception_ptr e = pcall([&] {
      y.yield("inside pcall");
      throw lua_error("late error");
    });
    log.push_back("caught: " + std::string(e ? "false " : "true ") + text(e));
    y.yield("after pcall");
    return std::string("end");
  });
  EXPECT_EQ(co.resume().value(), "inside pcall");
  EXPECT_EQ(co.resume().value(), "after pcall");
  EXPECT_EQ(co.resume().value(), "end");
  EXPECT_EQ(log, (std::vector<std::string>{"caught: false late error"}));  // Lua: "...lua:5: late error"
}

// xpcall's message handler -> the catch block that turns the error into xpcall's result.
TEST(Mirror, yield_across_xpcall) {  // mirrors conformance/scenarios/yield_across_xpcall.lua
  using out = std::tuple<bool, std::string>;
  using sig = out(std::string);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::string) -> out {
    try {
      std::string got = y.yield(out{true, "waiting"});
      throw new_table(0, got);
    } catch (const table_ref& e) {
      return out{false, "handled " + e->name};
    }
  });
  EXPECT_EQ(co.resume("").value(), (out{true, "waiting"}));
  EXPECT_EQ(co.resume("T").value(), (out{false, "handled T"}));
}

JMPCO_NOINLINE int rec150(jmpco::yielder<std::vector<int>(int)>& y, int n, int acc) {
  if (n == 150) {
    int got = y.yield(std::vector<int>{n, acc});
    return got + n;
  }
  int r = rec150(y, n + 1, acc + n);
  return r + 1;
}

TEST(Mirror, yield_deep_recursion_150) {  // mirrors conformance/scenarios/yield_deep_recursion_150.lua
  using sig = std::vector<int>(int);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, int) { return std::vector<int>{rec150(y, 1, 0)}; });
  EXPECT_EQ(co.resume(0).value(), (std::vector<int>{150, 11175}));
  EXPECT_EQ(co.status(), status::suspended);
  EXPECT_EQ(co.resume(1000).value(), (std::vector<int>{1299}));
  EXPECT_EQ(co.status(), status::dead);
}

// A helper two calls below the body yields without the yielder: this_coroutine::try_yield.
int yield_helper(int x) { return jmpco::this_coroutine::try_yield<value(int)>(v(x * 10)).value(); }
int yield_middle(int x) { return yield_helper(x + 1) + 1; }

TEST(Mirror, yield_from_nested_function) {  // mirrors conformance/scenarios/yield_from_nested_function.lua
  jmpco::coroutine<value(int)> co([](auto&, int x) { return v("result " + fmt(yield_middle(x))); });
  EXPECT_EQ(co.resume(4).value(), v(50));
  EXPECT_EQ(co.resume(7).value(), v("result 8"));
}

// __close at block exit -> a destructor at the end of the block; it may yield (no unwinding is in
// progress), and the block exit completes when the coroutine is resumed.
TEST(Mirror, yield_in_close_block_exit) {  // mirrors conformance/scenarios/yield_in_close_block_exit.lua
  using sig = std::string(std::string);
  static std::vector<std::string> log;
  log.clear();
  struct yielding_resource {
    ~yielding_resource() {
      log.push_back(std::string("closing, error = nil yieldable = ") +
                    (jmpco::this_coroutine::is_yieldable() ? "true" : "false"));
      std::string got = jmpco::this_coroutine::try_yield<sig>("yield from __close").value();
      log.push_back("__close resumed with " + got);
    }
  };
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&, std::string) {
    {
      yielding_resource r;
      log.push_back("leaving block");
    }
    return std::string("after block");
  });
  EXPECT_EQ(co.resume("").value(), "yield from __close");
  EXPECT_EQ(co.status(), status::suspended);
  EXPECT_EQ(co.resume("X").value(), "after block");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(log, (std::vector<std::string>{"leaving block", "closing, error = nil yieldable = true",
                                           "__close resumed with X"}));
}

// The end of iteration, where Lua's resume returns just true, is an empty optional.
TEST(Mirror, yield_in_generic_for_body) {  // mirrors conformance/scenarios/yield_in_generic_for_body.lua
  using item = std::optional<std::tuple<int, std::string>>;
  const std::vector<std::string> items{"a", "b", "c", "d"};
  jmpco::coroutine<item()> co([&](jmpco::yielder<item()>& y) -> item {
    int i = 0;
    for (const std::string& s : items) y.yield(std::make_tuple(++i, s));
    return std::nullopt;
  });
  std::vector<std::string> lines;
  while (true) {
    jmpco::result<item> r = co.resume();
    if (!r.value()) {
      lines.push_back("end " + std::string(r.ok() ? "true " : "false ") + st(co.status()));
      break;
    }
    lines.push_back("true " + fmt(std::get<0>(**r)) + " " + std::get<1>(**r));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"true 1 a", "true 2 b", "true 3 c", "true 4 d", "end true dead"}));
}

// __index -> operator[] of a proxy; the yield suspends the coroutine in the middle of indexing.
struct yielding_proxy {
  std::string operator[](const std::string& k) const {
    return jmpco::this_coroutine::try_yield<std::string(std::string)>("need " + k).value();
  }
};

TEST(Mirror, yield_in_index_metamethod) {  // mirrors conformance/scenarios/yield_in_index_metamethod.lua
  auto co = jmpco::wrap<std::string(std::string)>([](auto&, std::string) {
    yielding_proxy proxy;
    std::string a = proxy["alpha"];
    std::string b = proxy["beta"];
    return a + "+" + b;
  });
  EXPECT_EQ(co(""), "need alpha");
  EXPECT_EQ(co("A"), "need beta");
  EXPECT_EQ(co("B"), "A+B");
}

// The generic for's iterator function is called once per step; it yields before producing (i, v).
struct iter_state {
  int n, mult;
};
std::optional<std::pair<int, int>> iter(const iter_state& state, int i) {
  i = i + 1;
  if (i > state.n) return std::nullopt;
  jmpco::this_coroutine::try_yield<std::string()>("iterating " + fmt(i)).value();
  return std::make_pair(i, i * state.mult);
}

TEST(Mirror, yield_in_iterator_function) {  // mirrors conformance/scenarios/yield_in_iterator_function.lua
  auto co = jmpco::wrap<std::string()>([](auto&) {
    int sum = 0;
    const iter_state state{3, 5};
    for (auto step = iter(state, 0); step; step = iter(state, step->first)) sum += step->second;
    return "sum " + fmt(sum);
  });
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) got.push_back(co());
  EXPECT_EQ(got, (std::vector<std::string>{"iterating 1", "iterating 2", "iterating 3", "sum 30"}));
}

struct acc {
  int total;
  acc& add(int n) {
    std::optional<int> extra =
        jmpco::this_coroutine::try_yield<value(std::optional<int>)>(v("adding " + fmt(n))).value();
    total = total + n + extra.value_or(0);
    return *this;
  }
};

TEST(Mirror, yield_in_method) {  // mirrors conformance/scenarios/yield_in_method.lua
  auto co = jmpco::wrap<value(std::optional<int>)>([](auto&, std::optional<int>) {
    acc a{100};
    a.add(1).add(2);
    return v(a.total);
  });
  EXPECT_EQ(co(std::nullopt), v("adding 1"));
  EXPECT_EQ(co(10), v("adding 2"));
  EXPECT_EQ(co(20), v(133));
}

// resume(co, 10, 1, -3) then resume(co, v * 2): a value list each time.
TEST(Mirror, yield_in_numeric_for) {  // mirrors conformance/scenarios/yield_in_numeric_for.lua
  using sig = value(values);
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values args) {
    const long long from = std::get<long long>(args[0]), to = std::get<long long>(args[1]),
                    step = std::get<long long>(args[2]);
    for (long long i = from; step > 0 ? i <= to : i >= to; i += step) {
      values got = y.yield(v(i));
      log.push_back("loop " + fmt(i) + " got " + str(got[0]));
    }
    return v("loop over");
  });
  jmpco::result<value> r = co.resume(vals(10, 1, -3));
  while (co.status() == status::suspended) {
    log.push_back("main sees true " + str(r.value()));
    r = co.resume(vals(std::get<long long>(r.value()) * 2));
  }
  log.push_back("final true " + str(r.value()));
  EXPECT_EQ(log, (std::vector<std::string>{"main sees true 10", "loop 10 got 20", "main sees true 7", "loop 7 got 14",
                                           "main sees true 4", "loop 4 got 8", "main sees true 1", "loop 1 got 2",
                                           "final true loop over"}));
}

// f(...) as the body: a coroutine<values(values)> keeps its argument list, nils included.
TEST(Mirror, yield_in_vararg_function) {  // mirrors conformance/scenarios/yield_in_vararg_function.lua
  using sig = values(values);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, values args) {
    y.yield(vals(static_cast<int>(args.size())));
    values out = vals(static_cast<int>(args.size()));
    out.insert(out.end(), args.begin(), args.end());
    return out;
  });
  EXPECT_EQ(print(co.resume(vals(1, nullptr, 3, nullptr)).value()), "4");
  EXPECT_EQ(print(co.resume({}).value()), "4\t1\tnil\t3\tnil");
}

TEST(Mirror, yield_in_while_repeat) {  // mirrors conformance/scenarios/yield_in_while_repeat.lua
  auto co = jmpco::wrap<std::string()>([](jmpco::yielder<std::string()>& y) {
    int n = 0;
    while (n < 3) {
      n = n + 1;
      y.yield("while " + fmt(n));
    }
    do {
      n = n - 1;
      y.yield("repeat " + fmt(n));
    } while (n != 0);
    return std::string("done");
  });
  std::vector<std::string> got;
  for (int i = 0; i < 7; ++i) got.push_back(co());
  EXPECT_EQ(got,
            (std::vector<std::string>{"while 1", "while 2", "while 3", "repeat 2", "repeat 1", "repeat 0", "done"}));
}

// Documented difference: Lua's xpcall message handler is not yieldable ("attempt to yield across a
// C-call boundary", then "error in error handling"). Its C++ counterpart, a catch block, is plain
// coroutine code: a yield there suspends the coroutine and the handler goes on when resumed.
TEST(Mirror, yield_in_xpcall_handler) {  // mirrors conformance/scenarios/yield_in_xpcall_handler.lua
  using sig = std::string();
  int calls = 0;
  std::string first;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y) {
    try {
      throw lua_error("original");
    } catch (const lua_error& m) {
      ++calls;
      first = m.what();
      y.yield("from handler");
      return std::string("handled");
    }
  });
  EXPECT_EQ(co.resume().value(), "from handler");
  EXPECT_EQ(co.status(), status::suspended);
  EXPECT_EQ(co.resume().value(), "handled");
  EXPECT_EQ(co.status(), status::dead);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(first, "original");
}

// On the main context a yield fails with "attempt to yield from outside a coroutine", also from a
// catch block (the handler). In C++ the failure is a result, not a new error, so the handler runs once.
TEST(Mirror, yield_main_pcall_in_handler) {  // mirrors conformance/scenarios/yield_main_pcall_in_handler.lua
  std::string first, second;
  try {
    throw lua_error("e main");
  } catch (const lua_error& m) {
    first = m.what();
    jmpco::result<void> r = jmpco::this_coroutine::try_yield<std::string()>(std::string("x"));
    second = text(r.error());
  }
  EXPECT_EQ(first, "e main");
  EXPECT_EQ(second, "attempt to yield from outside a coroutine");
}

std::string yield_many_level3(long long a, const std::string& b, bool c) {
  long long d = a + 1;
  std::string e = b + "!";
  bool f = !c;
  std::vector<value> g = vals(a, b);
  double h = 3.5;
  long long i = d * 2;
  std::string j = e + e;
  bool k = f;
  long long l = static_cast<long long>(g.size());
  double m = h / 2;
  std::string got = jmpco::this_coroutine::try_yield<std::string(std::string)>("deep").value();
  return fmt(a) + "," + b + "," + (c ? "true" : "false") + "," + fmt(d) + "," + e + "," + (f ? "true" : "false") + "," +
         str(g[0]) + "," + str(g[1]) + "," + fmt(h) + "," + fmt(i) + "," + j + "," + (k ? "true" : "false") + "," +
         fmt(l) + "," + fmt(m) + "," + got;
}
std::string yield_many_level2(long long x) {
  long long p = x, q = x * 3;
  std::string r = "s" + fmt(x);
  bool s = x > 2;
  std::string res = yield_many_level3(p, r, s);
  return res + "|" + fmt(p) + "," + fmt(q) + "," + r + "," + (s ? "true" : "false");
}

TEST(Mirror, yield_many_locals) {  // mirrors conformance/scenarios/yield_many_locals.lua
  jmpco::coroutine<std::string(std::string)> co([](auto&, std::string) {
    long long u = 1, v2 = 2, w = 3;
    std::string out = yield_many_level2(u + v2 + w);
    return out + "|" + fmt(u) + fmt(v2) + fmt(w);
  });
  EXPECT_EQ(co.resume("").value(), "deep");
  EXPECT_EQ(co.resume("resumed").value(),
            "6,s6,true,7,s6!,false,6,s6,3.5,14,s6!s6!,false,2,1.75,resumed|6,18,s6,true|123");
}

TEST(Mirror, yield_no_values) {  // mirrors conformance/scenarios/yield_no_values.lua
  std::vector<std::string> log;
  jmpco::coroutine<void()> co([&](jmpco::yielder<void()>& y) {
    y.yield();  // returns nothing: void
    log.push_back("yield returned 0");
    y.yield();
    log.push_back("yield returned 0");
  });
  EXPECT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.resume().ok());
  EXPECT_TRUE(co.resume().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"yield returned 0", "yield returned 0"}));
}

TEST(Mirror, yield_outside_pcall) {  // mirrors conformance/scenarios/yield_outside_pcall.lua
  EXPECT_EQ(text(jmpco::this_coroutine::try_yield<values()>(vals(1, 2)).error()),
            "attempt to yield from outside a coroutine");
  EXPECT_EQ(text(jmpco::this_coroutine::try_yield<void()>().error()), "attempt to yield from outside a coroutine");
  std::exception_ptr e = pcall([] { (void)jmpco::this_coroutine::try_yield<std::string()>("x").value(); });
  EXPECT_EQ(text(e), "attempt to yield from outside a coroutine");
}

// Uncaught at top level: the error escapes the "main chunk" (here a lambda) as an exception.
TEST(Mirror, yield_outside_uncaught) {  // mirrors conformance/scenarios/yield_outside_uncaught.lua
  std::vector<std::string> log;
  auto chunk = [&] {
    log.push_back("start");
    jmpco::this_coroutine::try_yield<std::string()>(std::string("nowhere")).value();
    log.push_back("not reached");
  };
  try {
    chunk();
    ADD_FAILURE() << "the yield did not raise";
  } catch (const jmpco::coroutine_error& e) {
    EXPECT_EQ(e.error().code(), errc::yield_outside);
    EXPECT_STREQ(e.what(), "attempt to yield from outside a coroutine");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"start"}));
}

TEST(Mirror, yield_returns_resume_args) {  // mirrors conformance/scenarios/yield_returns_resume_args.lua
  using sig = value(values);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, values) {
    std::string log;
    for (int i = 1; i <= 3; ++i) {
      values got = y.yield(v(i));
      got.resize(2);  // local a, b = coroutine.yield(i)
      log += (i > 1 ? " " : "") + str(got[0]) + "/" + str(got[1]);
    }
    return v(log);
  });
  (void)co.resume({});
  (void)co.resume(vals("p", "q"));
  (void)co.resume(vals(1));
  EXPECT_EQ(co.resume(vals(nullptr, 2.5)).value(), v("p/q 1/nil nil/2.5"));
}

TEST(Mirror, yield_values_out) {  // mirrors conformance/scenarios/yield_values_out.lua
  using sig = values();
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y) {
    y.yield(vals(1, 2, 3));
    y.yield(vals("a"));
    y.yield(vals(true, false));
    return values{};
  });
  EXPECT_EQ(print(co.resume().value()), "1\t2\t3");
  EXPECT_EQ(print(co.resume().value()), "a");
  EXPECT_EQ(print(co.resume().value()), "true\tfalse");
  EXPECT_EQ(co.resume().value().size(), 0u);
}

// ---- values_* ------------------------------------------------------------------------------

// 250 arguments with nils at 100 and 250: a vector of optional<int>.
TEST(Mirror, values_250_through_resume) {  // mirrors conformance/scenarios/values_250_through_resume.lua
  using args = std::vector<std::optional<int>>;
  using sig = std::string(args);
  args a;
  for (int i = 1; i <= 250; ++i) a.emplace_back(i);
  a[99].reset();
  a[249].reset();
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&, args got) {
    int sum = 0;
    for (const std::optional<int>& x : got) sum += x.value_or(0);
    return "count " + fmt(static_cast<int>(got.size())) + " sum " + fmt(sum) + " 100th " +
           (got[99] ? fmt(*got[99]) : "nil") + " 249th " + fmt(*got[248]);
  });
  EXPECT_EQ(co.resume(a).value(), "count 250 sum 31025 100th nil 249th 249");
}

TEST(Mirror, values_260_both_ways) {  // mirrors conformance/scenarios/values_260_both_ways.lua
  using list = std::vector<std::string>;
  using sig = list(list);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, list) {
    list got = y.yield(list{});
    list out;
    for (const std::string& s : got) out.push_back(s + "!");
    return out;
  });
  ASSERT_TRUE(co.resume({}).ok());
  list send;
  for (int i = 1; i <= 260; ++i) send.push_back("v" + fmt(i));
  list r = co.resume(send).value();
  ASSERT_EQ(r.size(), 260u);
  EXPECT_EQ(r[0], "v1!");
  EXPECT_EQ(r[129], "v130!");
  EXPECT_EQ(r[259], "v260!");
  EXPECT_EQ(r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "," + r[4], "v1!,v2!,v3!,v4!,v5!");
}

TEST(Mirror, values_300_through_yield) {  // mirrors conformance/scenarios/values_300_through_yield.lua
  using sig = std::vector<int>();
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y) {
    std::vector<int> t;
    for (int i = 1; i <= 300; ++i) t.push_back(i * 2);
    y.yield(std::move(t));
    return std::vector<int>{};
  });
  std::vector<int> r = co.resume().value();
  ASSERT_EQ(r.size(), 300u);
  long sum = 0;
  for (int x : r) sum += x;
  EXPECT_EQ(r.front(), 2);
  EXPECT_EQ(r.back(), 600);
  EXPECT_EQ(sum, 90300);
}

TEST(Mirror, values_500_returned) {  // mirrors conformance/scenarios/values_500_returned.lua
  using sig = std::vector<int>(int);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>&, int n) {
    std::vector<int> t;
    for (int i = 1; i <= n; ++i) t.push_back(n - i);
    return t;
  });
  std::vector<int> r = co.resume(500).value();
  ASSERT_EQ(r.size(), 500u);
  EXPECT_EQ(r.front(), 499);
  EXPECT_EQ(r.back(), 0);
}

void some_function() {}

// Tables, functions and threads keep their identity: a shared_ptr, a function pointer and the
// coroutine's core pointer.
TEST(Mirror, values_all_types) {  // mirrors conformance/scenarios/values_all_types.lua
  using sig = values(values);
  table_ref t = new_table();
  function_ref f = &some_function;
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, values args) { return y.yield(std::move(args)); });
  core* th = co.core();
  values r = co.resume(vals(nullptr, true, false, 0, -7, 2.5, "str", t, f, th)).value();
  std::vector<std::string> types;
  for (const value& x : r) types.push_back(type_name(x));
  EXPECT_EQ(types, (std::vector<std::string>{"nil", "boolean", "boolean", "number", "number", "number", "string",
                                             "table", "function", "thread"}));
  EXPECT_EQ(std::get<table_ref>(r[7]), t);
  EXPECT_EQ(std::get<function_ref>(r[8]), f);
  EXPECT_EQ(std::get<core*>(r[9]), th);
  values back = co.resume(vals(t, f, th)).value();
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(std::get<table_ref>(back[0]), t);
  EXPECT_EQ(std::get<function_ref>(back[1]), f);
  EXPECT_EQ(std::get<core*>(back[2]), th);
}

// Lua integers and floats are long long and double in the variant; the arithmetic follows Lua's
// rules (a + b with a float is a float, / is float division, // floors).
TEST(Mirror, values_int_float_kept) {  // mirrors conformance/scenarios/values_int_float_kept.lua
  using sig = values(values);
  auto co = jmpco::wrap<sig>([](jmpco::yielder<sig>& y, values args) {
    const long long a = std::get<long long>(args[0]);
    const double b = std::get<double>(args[1]);
    values cd = y.yield(vals(a, b, static_cast<double>(a) + b, static_cast<double>(a) / 1, std::floor(b / 1), 7 / 2,
                             std::floor(7.0 / 2)));
    return vals(cd[0], cd[1], std::get<long long>(cd[0]) == std::get<double>(cd[1]));
  });
  EXPECT_EQ(print(co(vals(1, 1.0))), "1\t1.0\t2.0\t1.0\t1.0\t3\t3.0");
  EXPECT_EQ(print(co(vals(3, 3.0))), "3\t3.0\ttrue");
}

TEST(Mirror, values_many) {  // mirrors conformance/scenarios/values_many.lua
  using sig = values(values);
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values args) {
    log.push_back("params " + fmt(static_cast<int>(args.size())) + "\t" + print(args));
    log.push_back("yield got\t" + print(y.yield(args)));
    return vals(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
  });
  EXPECT_EQ(print(co.resume(vals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).value()), "1\t2\t3\t4\t5\t6\t7\t8\t9\t10");
  EXPECT_EQ(print(co.resume(vals("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")).value()),
            "10\t9\t8\t7\t6\t5\t4\t3\t2\t1");
  EXPECT_EQ(log, (std::vector<std::string>{"params 10\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10",
                                           "yield got\ta\tb\tc\td\te\tf\tg\th\ti\tj"}));
}

TEST(Mirror, values_nils_middle) {  // mirrors conformance/scenarios/values_nils_middle.lua
  using sig = values(values);
  std::vector<std::string> log;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values params) {
    log.push_back("params\t" + print(params));
    values got = y.yield(vals(nullptr, "mid", nullptr, "end"));
    log.push_back("yield got\t" + print(got));
    return vals(1, nullptr, 3);
  });
  EXPECT_EQ(print(co.resume(vals(1, nullptr, 3)).value()), "nil\tmid\tnil\tend");
  EXPECT_EQ(print(co.resume(vals(nullptr, 2, 3)).value()), "1\tnil\t3");
  EXPECT_EQ(log, (std::vector<std::string>{"params\t1\tnil\t3", "yield got\tnil\t2\t3"}));
}

TEST(Mirror, values_nils_trailing) {  // mirrors conformance/scenarios/values_nils_trailing.lua
  using sig = values(values);
  std::vector<std::size_t> counts;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values params) {
    counts.push_back(params.size());
    counts.push_back(y.yield(vals(1, nullptr, nullptr)).size());
    return vals(nullptr, nullptr, nullptr, nullptr);
  });
  EXPECT_EQ(co.resume(vals(nullptr, nullptr)).value().size() + 1, 4u);  // + 1: Lua's leading true
  EXPECT_EQ(co.resume(vals("a", nullptr, nullptr, nullptr, nullptr)).value().size() + 1, 5u);
  EXPECT_EQ(counts, (std::vector<std::size_t>{2, 5}));
}

TEST(Mirror, values_one_each_way) {  // mirrors conformance/scenarios/values_one_each_way.lua
  using sig = std::string(std::string);
  jmpco::coroutine<sig> co([](jmpco::yielder<sig>& y, std::string a) {
    std::string b = y.yield(a + "1");
    std::string c = y.yield(b + "2");
    return c + "3";
  });
  EXPECT_EQ(co.resume("x").value(), "x1");
  EXPECT_EQ(co.resume("y").value(), "y2");
  EXPECT_EQ(co.resume("z").value(), "z3");
}

TEST(Mirror, values_only_nil) {  // mirrors conformance/scenarios/values_only_nil.lua
  using sig = values(values);
  std::vector<std::size_t> counts;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values params) {
    counts.push_back(params.size());
    counts.push_back(y.yield(vals(nullptr)).size());
    return vals(nullptr);
  });
  values r = co.resume(vals(nullptr)).value();
  EXPECT_EQ(print(r), "nil");
  r = co.resume(vals(nullptr)).value();
  EXPECT_EQ(print(r), "nil");
  EXPECT_EQ(counts, (std::vector<std::size_t>{1, 1}));
}

TEST(Mirror, values_strings) {  // mirrors conformance/scenarios/values_strings.lua
  using sig = std::vector<std::string>();
  auto co = jmpco::wrap<sig>([](jmpco::yielder<sig>& y) {
    y.yield(std::vector<std::string>{"tab\there", "quote\"s", "single's", "nl\\n"});
    y.yield(std::vector<std::string>{"long\nstring with \"quotes\" and \\backslashes", std::string("a\0b", 3)});
    y.yield(std::vector<std::string>{"\x41\x42\x43\x44", ""});
    return std::vector<std::string>{};
  });
  EXPECT_EQ(co(), (std::vector<std::string>{"tab\there", "quote\"s", "single's", "nl\\n"}));
  std::vector<std::string> second = co();
  EXPECT_EQ(second[0], "long\nstring with \"quotes\" and \\backslashes");
  EXPECT_EQ(second[1].size(), 3u);
  EXPECT_EQ(second[1], std::string("a\0b", 3));
  std::vector<std::string> third = co();
  EXPECT_EQ(third[0], "ABCD");
  EXPECT_EQ(third[1].size(), 0u);
}

TEST(Mirror, values_zero_both_ways) {  // mirrors conformance/scenarios/values_zero_both_ways.lua
  using sig = values(values);
  std::vector<std::size_t> counts;
  jmpco::coroutine<sig> co([&](jmpco::yielder<sig>& y, values params) {
    counts.push_back(params.size());
    counts.push_back(y.yield(values{}).size());
    return values{};
  });
  EXPECT_EQ(co.resume({}).value().size(), 0u);
  EXPECT_EQ(co.resume({}).value().size(), 0u);
  EXPECT_EQ(counts, (std::vector<std::size_t>{0, 0}));
}

}  // namespace
