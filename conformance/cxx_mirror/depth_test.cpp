// SPDX-License-Identifier: MIT
// Mirrors of the depth_* and deep_* scenarios: nesting limits and deep stacks.
//
// Nesting levels: in C++ the main context is level 0 and a resumed coroutine runs one level above
// its resumer, up to coroutine_core::nesting_limit() (200). lua5.4 counts the same way (nCcalls,
// LUAI_MAXCCALLS = 200) but has spent 3 levels before the main chunk runs, and its pcall, xpcall,
// metamethods, __close handlers and generic-for iterator calls spend one more each. The mirrors
// model this with mirror::lua_main_chunk (the 3 levels), level_guard and pcall_level (one level
// each), so the chains run exactly as deep as in the goldens: 197 from the main chunk, 196 inside
// pcall, 99 when each level costs two.
//
// Documented difference: when a resume fails with "C stack overflow", Lua kills the coroutine it
// tried to start (status "dead", resuming it again says "cannot resume dead coroutine"), while
// jmpco refuses the resume and changes nothing: the coroutine stays suspended, and resuming it
// again at the same depth fails with "C stack overflow" again.
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;

// ---- depth_* -------------------------------------------------------------------------------

struct chain_report {
  int deepest = 0;
  int failed_from = 0;
  std::string failed_msg;
  status failed_status = status::dead;
};

// local function level(n): deepest = n; resume(create(level), n + 1); record the first failure.
int chain_level(chain_report& rep, int n) {
  rep.deepest = n;
  jmpco::coroutine<int(int)> child([&rep](auto&, int m) { return chain_level(rep, m); });
  jmpco::result<int> r = child.resume(n + 1);
  if (!r.ok() && rep.failed_from == 0) {
    rep.failed_from = n;
    rep.failed_msg = text(r.error());
    rep.failed_status = child.status();
  }
  return n;
}

chain_report run_chain() {
  chain_report rep;
  jmpco::coroutine<int(int)> top([&rep](auto&, int m) { return chain_level(rep, m); });
  EXPECT_EQ(top.resume(1).value(), 1);
  return rep;
}

TEST(Mirror, depth_main_chain) {  // mirrors conformance/scenarios/depth_main_chain.lua
  lua_main_chunk chunk;
  chain_report rep = run_chain();
  EXPECT_EQ(rep.deepest, 197);
  EXPECT_EQ(rep.failed_from, 197);
  EXPECT_EQ(rep.failed_msg, "C stack overflow");
  EXPECT_EQ(rep.failed_status, status::suspended);  // Lua: dead (see the top of this file)
}

// Lua's pcall spends one level: pcall_level.
TEST(Mirror, depth_pcall_chain) {  // mirrors conformance/scenarios/depth_pcall_chain.lua
  lua_main_chunk chunk;
  chain_report rep;
  std::exception_ptr e = pcall_level([&] { rep = run_chain(); });
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(rep.deepest, 196);
  EXPECT_EQ(rep.failed_from, 196);
  EXPECT_EQ(rep.failed_msg, "C stack overflow");
  EXPECT_EQ(rep.failed_status, status::suspended);  // Lua: dead
}

// xpcall spends a level like pcall; its handler (the catch block) never runs: resume does not raise.
TEST(Mirror, depth_xpcall_chain) {  // mirrors conformance/scenarios/depth_xpcall_chain.lua
  lua_main_chunk chunk;
  chain_report rep;
  bool handler_called = false;
  try {
    level_guard xpcall_level;
    rep = run_chain();
  } catch (...) {
    handler_called = true;
  }
  EXPECT_EQ(rep.deepest, 196);
  EXPECT_FALSE(handler_called);
}

// An __index function -> operator[] of a proxy; a __close handler -> a destructor; each spends a
// level (level_guard), as Lua's metamethod calls do.
struct chain_proxy {
  int operator[](const char*) const {
    level_guard metamethod_call;
    return run_chain().deepest;
  }
};

TEST(Mirror, depth_chain_in_metamethod) {  // mirrors conformance/scenarios/depth_chain_in_metamethod.lua
  static int from_close;
  lua_main_chunk chunk;
  const chain_proxy t;
  EXPECT_EQ(t["anything"], 196);
  struct close_handler {
    ~close_handler() {
      level_guard close_call;
      from_close = run_chain().deepest;
    }
  };
  from_close = 0;
  { close_handler c; }
  EXPECT_EQ(from_close, 196);
  EXPECT_EQ(run_chain().deepest, 197);
}

JMPCO_NOINLINE int recurse_then_chain(int n) {
  if (n == 0) return run_chain().deepest;
  int r = recurse_then_chain(n - 1);
  return r;
}

TEST(Mirror, depth_chain_lua_recursion_free) {  // mirrors conformance/scenarios/depth_chain_lua_recursion_free.lua
  lua_main_chunk chunk;
  EXPECT_EQ(recurse_then_chain(100), 197);
}

// Every level yields back to its parent before the chain unwinds. Statuses are read through the
// core pointers (heap objects), never from the suspended stacks.
struct suspended_chain {
  std::vector<core*> threads = std::vector<core*>(191, nullptr);
  status child_of_189_at_end = status::suspended;
};

int suspended_level(suspended_chain& s, jmpco::yielder<int(int)>& y, int n) {
  s.threads[static_cast<std::size_t>(n)] = jmpco::this_coroutine::running();
  if (n < 190) {
    jmpco::coroutine<int(int)> child([&s](auto& cy, int m) { return suspended_level(s, cy, m); });
    int v = child.resume(n + 1).value();
    y.yield(v);
    int v2 = child.resume(0).value();
    if (n == 189) s.child_of_189_at_end = child.status();
    return v2 + 1;
  }
  y.yield(0);
  return 0;
}

TEST(Mirror, depth_chain_suspended_levels) {  // mirrors conformance/scenarios/depth_chain_suspended_levels.lua
  lua_main_chunk chunk;
  suspended_chain s;
  jmpco::coroutine<int(int)> top([&s](auto& y, int m) { return suspended_level(s, y, m); });
  EXPECT_EQ(top.resume(1).value(), 0);
  EXPECT_EQ(s.threads[1]->status(), status::suspended);
  EXPECT_EQ(s.threads[2]->status(), status::suspended);
  EXPECT_EQ(s.threads[190]->status(), status::suspended);
  EXPECT_EQ(top.resume(0).value(), 189);
  EXPECT_EQ(s.threads[1]->status(), status::dead);
  EXPECT_EQ(s.child_of_189_at_end, status::dead);  // threads[190]; its handle is gone by now
}

std::string exact_level(int limit, int n) {
  if (n == limit) return "bottom " + fmt(n);
  jmpco::coroutine<std::string(int)> child([limit](auto&, int m) { return exact_level(limit, m); });
  jmpco::result<std::string> r = child.resume(n + 1);
  if (!r.ok()) return "failed below " + fmt(n) + ": " + text(r.error());
  return r.value();
}

std::string exact_chain(int limit) {
  jmpco::coroutine<std::string(int)> top([limit](auto&, int m) { return exact_level(limit, m); });
  return top.resume(1).value();
}

TEST(Mirror, depth_exact_limit) {  // mirrors conformance/scenarios/depth_exact_limit.lua
  lua_main_chunk chunk;
  EXPECT_EQ(exact_chain(196), "bottom 196");
  EXPECT_EQ(exact_chain(197), "bottom 197");
  EXPECT_EQ(exact_chain(198), "failed below 197: C stack overflow");
  EXPECT_EQ(exact_chain(250), "failed below 197: C stack overflow");
}

TEST(Mirror, depth_many_siblings) {  // mirrors conformance/scenarios/depth_many_siblings.lua
  using sig = int(int);
  std::vector<jmpco::coroutine<sig>> cos;
  cos.reserve(2000);
  for (int i = 1; i <= 2000; ++i) {
    cos.emplace_back([](jmpco::yielder<sig>& y, int x) {
      int got = y.yield(x * 2);
      return x + got;
    });
    EXPECT_EQ(cos.back().resume(i).value(), i * 2);
  }
  long long sum = 0;
  for (auto& co : cos) sum += co.resume(1).value();
  EXPECT_EQ(sum, 2003000);
  EXPECT_EQ(cos.front().status(), status::dead);
  EXPECT_EQ(cos.back().status(), status::dead);
}

// Each level runs a pcall (one level) and iterates a wrap generator; the generic for's call of the
// iterator spends a level too (Lua's OP_TFORCALL), so the generator's resume overflows first.
struct iterator_report {
  int deepest = 0;
  std::string failure;
};

void iterator_level(iterator_report& rep, int n) {
  rep.deepest = n;
  std::exception_ptr e = pcall_level([&] {
    auto it = jmpco::wrap<std::optional<int>()>([](jmpco::yielder<std::optional<int>()>& y) -> std::optional<int> {
      y.yield(1);
      return std::nullopt;
    });
    auto call_iterator = [&] {
      level_guard tforcall;
      return it();
    };
    for (std::optional<int> x = call_iterator(); x; x = call_iterator()) {
      jmpco::coroutine<void(int)> child([&rep](auto&, int m) { iterator_level(rep, m); });
      (void)child.resume(n + 1);
    }
  });
  if (e && rep.failure.empty()) rep.failure = fmt(n) + " -> " + text(e);
}

TEST(Mirror, depth_overflow_in_wrap_iterator) {  // mirrors conformance/scenarios/depth_overflow_in_wrap_iterator.lua
  lua_main_chunk chunk;
  iterator_report rep;
  jmpco::coroutine<void(int)> top([&rep](auto&, int m) { iterator_level(rep, m); });
  ASSERT_TRUE(top.resume(1).ok());
  EXPECT_EQ(rep.deepest, 98);
  EXPECT_EQ(rep.failure, "98 -> C stack overflow");  // Lua: "98 -> ...lua:6: C stack overflow"
}

// pcall(coroutine.wrap(level), n + 1): pcall's level plus the wrap's resume, two per level. In C++
// the level check that fails at level 99 is pcall's own (it needs one level more than the limit);
// the observable outcome is the same.
struct wrap_report {
  int deepest = 0;
  std::string failure;
};

std::string pcall_wrap_level(wrap_report& rep, int n) {
  rep.deepest = n;
  std::exception_ptr e = pcall_level([&] {
    auto w = jmpco::wrap<std::string(int)>([&rep](auto&, int m) { return pcall_wrap_level(rep, m); });
    w(n + 1);
  });
  if (e && rep.failure.empty()) rep.failure = fmt(n) + ": " + text(e);
  return "ok";
}

TEST(Mirror, depth_pcall_wrap_chain) {  // mirrors conformance/scenarios/depth_pcall_wrap_chain.lua
  lua_main_chunk chunk;
  wrap_report rep;
  auto top = jmpco::wrap<std::string(int)>([&rep](auto&, int m) { return pcall_wrap_level(rep, m); });
  EXPECT_EQ(top(1), "ok");
  EXPECT_EQ(rep.deepest, 99);
  EXPECT_EQ(rep.failure, "99: C stack overflow");
}

struct retry_report {
  bool filled = false;
  int n = 0;
  std::string msg;
  status child_status = status::dead;
  std::string again, fresh;
};

std::string retry_level(int& deepest, retry_report& rep, int n) {
  deepest = n;
  jmpco::coroutine<std::string(int)> child([&deepest, &rep](auto&, int m) { return retry_level(deepest, rep, m); });
  jmpco::result<std::string> r = child.resume(n + 1);
  if (!r.ok() && !rep.filled) {
    jmpco::result<std::string> again = child.resume(n + 1);
    jmpco::coroutine<std::string()> fresh_co([](auto&) { return std::string("fresh"); });
    jmpco::result<std::string> fresh = fresh_co.resume();
    rep = retry_report{true, n, text(r.error()), child.status(), text(again.error()), text(fresh.error())};
  }
  return "level " + fmt(n) + " finished";
}

TEST(Mirror, depth_resume_after_overflow) {  // mirrors conformance/scenarios/depth_resume_after_overflow.lua
  lua_main_chunk chunk;
  for (int run = 0; run < 2; ++run) {
    int deepest = 0;
    retry_report rep;
    jmpco::coroutine<std::string(int)> top([&](auto&, int m) { return retry_level(deepest, rep, m); });
    EXPECT_EQ(top.resume(1).value(), "level 1 finished");
    EXPECT_EQ(deepest, 197);
    EXPECT_EQ(rep.n, 197);
    EXPECT_EQ(rep.msg, "C stack overflow");
    EXPECT_EQ(rep.child_status, status::suspended);  // Lua: dead
    EXPECT_EQ(rep.again, "C stack overflow");        // Lua: cannot resume dead coroutine
    EXPECT_EQ(rep.fresh, "C stack overflow");
  }
  jmpco::coroutine<std::string()> still([](auto&) { return std::string("yes"); });
  EXPECT_EQ(still.resume().value(), "yes");
}

std::pair<int, int> values_level(int n) {
  if (n == 150) return {n, 1};
  jmpco::coroutine<std::pair<int, int>(int)> child([](auto&, int m) { return values_level(m); });
  std::pair<int, int> r = child.resume(n + 1).value();
  return {r.first + n, r.second + 1};
}

TEST(Mirror, depth_values_unwind) {  // mirrors conformance/scenarios/depth_values_unwind.lua
  lua_main_chunk chunk;
  jmpco::coroutine<std::pair<int, int>(int)> top([](auto&, int m) { return values_level(m); });
  EXPECT_EQ(top.resume(1).value(), (std::pair<int, int>{11325, 150}));
}

int wrap_chain_level(int limit, int n) {
  if (n == limit) return n;
  return jmpco::wrap<int(int)>([limit](auto&, int m) { return wrap_chain_level(limit, m); })(n + 1);
}

TEST(Mirror, depth_wrap_chain_main_ok) {  // mirrors conformance/scenarios/depth_wrap_chain_main_ok.lua
  lua_main_chunk chunk;
  auto top = jmpco::wrap<int(int)>([](auto&, int m) { return wrap_chain_level(197, m); });
  EXPECT_EQ(top(1), 197);
}

// Uncaught at top level. The overflow error passes through the 197 wraps unchanged (Lua stacks
// one position prefix per wrap level on it).
TEST(Mirror, depth_wrap_chain_main_overflow) {  // mirrors conformance/scenarios/depth_wrap_chain_main_overflow.lua
  lua_main_chunk chunk;
  std::vector<std::string> log;
  auto run_chunk = [&] {
    log.push_back("starting");
    auto top = jmpco::wrap<int(int)>([](auto&, int m) { return wrap_chain_level(198, m); });
    log.push_back(fmt(top(1)));
  };
  try {
    run_chunk();
    ADD_FAILURE() << "no error reached the top";
  } catch (const jmpco::coroutine_error& e) {
    // Raised by the innermost resume, it killed every wrap above it: a death, not a misuse.
    EXPECT_EQ(e.error().code(), errc::raised);
    EXPECT_EQ(e.error().user_code(), static_cast<int>(errc::c_stack_overflow));
    EXPECT_STREQ(e.what(), "C stack overflow");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"starting"}));
}

int wrap_chain_deepest;
int wrap_chain_unbounded(int n) {
  wrap_chain_deepest = n;
  return jmpco::wrap<int(int)>([](auto&, int m) { return wrap_chain_unbounded(m); })(n + 1);
}

TEST(Mirror, depth_wrap_chain_pcall) {  // mirrors conformance/scenarios/depth_wrap_chain_pcall.lua
  lua_main_chunk chunk;
  wrap_chain_deepest = 0;
  std::exception_ptr e = pcall_level([] {
    auto top = jmpco::wrap<int(int)>([](auto&, int m) { return wrap_chain_unbounded(m); });
    top(1);
  });
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(wrap_chain_deepest, 196);
  EXPECT_EQ(text(e), "C stack overflow");  // Lua: 196 position prefixes in front (5896 characters)
}

// ---- deep_* --------------------------------------------------------------------------------

// Closures made before a yield keep updating their captured state after it.
TEST(Mirror, deep_closures_across_yields) {  // mirrors conformance/scenarios/deep_closures_across_yields.lua
  using out = std::tuple<int, int, int>;
  auto co = jmpco::wrap<out()>([](jmpco::yielder<out()>& y) {
    std::vector<std::function<int(int)>> fns;
    for (int i = 1; i <= 3; ++i) {
      fns.push_back([v = i * 10](int d) mutable {
        v = v + d;
        return v;
      });
    }
    y.yield(fns[0](1), fns[1](2), fns[2](3));
    y.yield(fns[0](1), fns[1](2), fns[2](3));
    return out{};
  });
  EXPECT_EQ(co(), (out{11, 22, 33}));
  EXPECT_EQ(co(), (out{12, 24, 36}));
}

std::string dive(jmpco::yielder<std::string()>& y, int n) {
  if (n == 120) throw lua_error("bottom reached at " + fmt(n));
  if (n == 60) {
    std::exception_ptr e = pcall([&] { dive(y, n + 1); });
    y.yield("caught: " + text(e));
    return "recovered at " + fmt(n);
  }
  return dive(y, n + 1);
}

TEST(Mirror, deep_error_unwinds_frames) {  // mirrors conformance/scenarios/deep_error_unwinds_frames.lua
  jmpco::coroutine<std::string()> co([](auto& y) { return dive(y, 1); });
  EXPECT_EQ(co.resume().value(), "caught: bottom reached at 120");
  EXPECT_EQ(co.resume().value(), "recovered at 60");
}

TEST(Mirror, deep_long_lived) {  // mirrors conformance/scenarios/deep_long_lived.lua
  jmpco::coroutine<long long(long long)> co([](jmpco::yielder<long long(long long)>& y, long long) -> long long {
    long long acc = 0;
    while (true) acc += y.yield(acc);
  });
  ASSERT_TRUE(co.resume(0).ok());
  long long last = 0;
  for (long long i = 1; i <= 20000; ++i) last = co.resume(i).value();
  EXPECT_EQ(last, 200010000);
  EXPECT_EQ(co.status(), status::suspended);
}

bool is_odd(int n);
bool is_even(int n) {
  if (n == 0) return true;
  if (n % 10 == 0) jmpco::this_coroutine::try_yield<std::string()>("even check at " + fmt(n)).value();
  return is_odd(n - 1);
}
bool is_odd(int n) {
  if (n == 0) return false;
  if (n % 10 == 5) jmpco::this_coroutine::try_yield<std::string()>("odd check at " + fmt(n)).value();
  return is_even(n - 1);
}

TEST(Mirror, deep_mutual_recursion) {  // mirrors conformance/scenarios/deep_mutual_recursion.lua
  jmpco::generator<std::string> gen([](jmpco::yielder<std::string()>& y) { y.yield(is_even(36) ? "true" : "false"); });
  std::vector<std::string> got;
  for (const std::string& s : gen) got.push_back(s);
  EXPECT_EQ(got, (std::vector<std::string>{"odd check at 35", "even check at 30", "odd check at 25", "even check at 20",
                                           "odd check at 15", "even check at 10", "odd check at 5", "true"}));
}

using inner_sig = std::string(int);
int inner_down(jmpco::yielder<inner_sig>& y, int n) {
  if (n == 0) return y.yield("inner bottom");
  return inner_down(y, n - 1) + 1;
}
int outer_down(jmpco::yielder<std::string()>& y, jmpco::coroutine<inner_sig>& inner, int n) {
  if (n == 0) {
    std::string v = inner.resume(0).value();
    y.yield(v);
    return std::stoi(inner.resume(1000).value());
  }
  return outer_down(y, inner, n - 1) + 1;
}

TEST(Mirror, deep_nested_coroutines_recursion) {  // mirrors conformance/scenarios/deep_nested_coroutines_recursion.lua
  jmpco::coroutine<inner_sig> inner([](auto& y, int) { return fmt(inner_down(y, 40)); });
  jmpco::coroutine<std::string()> outer([&inner](auto& y) { return fmt(outer_down(y, inner, 40)); });
  EXPECT_EQ(outer.resume().value(), "inner bottom");
  EXPECT_EQ(outer.resume().value(), "1080");
  EXPECT_EQ(inner.status(), status::dead);
  EXPECT_EQ(outer.status(), status::dead);
}

int sum_down(jmpco::yielder<value(int)>& y, int n) {
  if (n == 0) return y.yield(v("bottom"));
  return n + sum_down(y, n - 1);
}

TEST(Mirror, deep_recursion_300) {  // mirrors conformance/scenarios/deep_recursion_300.lua
  jmpco::coroutine<value(int)> co([](auto& y, int n) { return v(sum_down(y, n)); });
  EXPECT_EQ(co.resume(300).value(), v("bottom"));
  EXPECT_EQ(co.resume(0).value(), v(45150));
}

// Upvalues shared with the main chunk -> a variable of the test's frame (the main context).
TEST(Mirror, deep_shared_upvalues) {  // mirrors conformance/scenarios/deep_shared_upvalues.lua
  int shared = 0;
  auto make = [&shared](int step) {
    return jmpco::wrap<int()>([&shared, step](jmpco::yielder<int()>& y) -> int {
      while (true) {
        shared = shared + step;
        y.yield(shared);
      }
    });
  };
  auto a = make(1), b = make(100);
  std::vector<int> got{a(), b(), a(), b()};
  EXPECT_EQ(got, (std::vector<int>{1, 101, 102, 202}));
  shared = -1000;
  got = {a(), b()};
  EXPECT_EQ(got, (std::vector<int>{-999, -899}));
}

void rec_each_level(jmpco::yielder<std::string()>& y, int n) {
  y.yield("down " + fmt(n));
  if (n < 100) rec_each_level(y, n + 1);
  y.yield("up " + fmt(n));
}

TEST(Mirror, deep_yield_each_level) {  // mirrors conformance/scenarios/deep_yield_each_level.lua
  auto co = jmpco::wrap<std::string()>([](auto& y) {
    rec_each_level(y, 1);
    return std::string("end");
  });
  std::string first, last;
  int count = 0;
  std::vector<std::string> marks;
  while (true) {
    std::string s = co();
    ++count;
    if (count == 1) first = s;
    if (count == 100 || count == 101 || count == 200) marks.push_back(fmt(count) + " " + s);
    if (s == "end") {
      last = s;
      break;
    }
  }
  EXPECT_EQ(marks, (std::vector<std::string>{"100 down 100", "101 up 100", "200 up 1"}));
  EXPECT_EQ(first, "down 1");
  EXPECT_EQ(last, "end");
  EXPECT_EQ(count, 201);
}

std::string nest_pcall(jmpco::yielder<std::string(std::string)>& y, int n) {
  if (n == 0) return y.yield("at the bottom");
  std::string v;
  std::exception_ptr e = pcall([&] { v = nest_pcall(y, n - 1); });
  EXPECT_EQ(e, nullptr);
  return v + "<" + fmt(n);
}

TEST(Mirror, deep_yield_from_recursive_pcall) {  // mirrors conformance/scenarios/deep_yield_from_recursive_pcall.lua
  jmpco::coroutine<std::string(std::string)> co([](auto& y, std::string) { return nest_pcall(y, 20); });
  EXPECT_EQ(co.resume("").value(), "at the bottom");
  EXPECT_EQ(co.resume("back").value(), "back<1<2<3<4<5<6<7<8<9<10<11<12<13<14<15<16<17<18<19<20");
}

}  // namespace
