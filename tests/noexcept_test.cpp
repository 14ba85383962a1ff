// SPDX-License-Identifier: MIT
// jmpco built and used with -fno-exceptions -fno-rtti: errors travel as error values, raise()
// kills the coroutine at once, and close() discards a suspended stack without running destructors.
// A plain program (GoogleTest itself needs exceptions to be built this way); every check counts.
#include <cstdio>
#include <cstring>

#include "jmpco/jmpco.hpp"
#include "test_support.hpp"

#if JMPCO_EXCEPTIONS
#error "this test must be compiled with -fno-exceptions"
#endif

namespace {

int checks = 0;
int failures = 0;

void check(bool ok, const char* what, int line) {
  ++checks;
  if (!ok) {
    ++failures;
    std::printf("FAILED line %d: %s\n", line, what);
  }
}
#define CHECK(expr) check((expr), #expr, __LINE__)

using sig = int(int);
using yielder = jmpco::yielder<sig>;

struct counted {
  static inline int alive = 0;
  counted() { ++alive; }
  ~counted() { --alive; }
};

void values_and_statuses() {
  jmpco::coroutine<sig> co([](yielder& y, int a) { return y.yield(a + 1) * 2; });
  CHECK(co.resume(1).value() == 2);
  CHECK(co.status() == jmpco::status::suspended);
  CHECK(co.resume(5).value() == 10);
  CHECK(co.status() == jmpco::status::dead);
  jmpco::result<int> again = co.resume(0);
  CHECK(again.code() == jmpco::errc::dead_coroutine);
  CHECK(std::strcmp(again.error().what(), "cannot resume dead coroutine") == 0);
}

void raise_kills_the_coroutine_with_an_error_value() {
  bool after_raise = false;
  jmpco::coroutine<sig> co([&](yielder&, int) -> int {
    jmpco::this_coroutine::raise(jmpco::error(12, "broken"));
    after_raise = true;
    return 0;
  });
  jmpco::result<int> r = co.resume(0);
  CHECK(r.code() == jmpco::errc::raised);
  CHECK(r.error().user_code() == 12);
  CHECK(std::strcmp(r.error().what(), "broken") == 0);
  CHECK(!after_raise);
  CHECK(co.status() == jmpco::status::dead);
  jmpco::result<void> closed = co.close();
  CHECK(closed.code() == jmpco::errc::raised);  // close hands the error out once
  CHECK(co.close().ok());
}

void close_discards_the_suspended_stack() {
  counted::alive = 0;
  jmpco::coroutine<sig> co([](yielder& y, int v) {
    counted on_stack;
    return y.yield(v);
  });
  CHECK(co.resume(3).value() == 3);
  CHECK(counted::alive == 1);
  CHECK(co.close().ok());
  CHECK(co.status() == jmpco::status::dead);
  CHECK(counted::alive == 1);  // documented: without exceptions no destructor runs
}

void misuse_codes() {
  CHECK(jmpco::this_coroutine::try_yield<sig>(1).code() == jmpco::errc::yield_outside);
  jmpco::coroutine<sig>* self = nullptr;
  jmpco::errc resumed_self = jmpco::errc::ok, closed_self = jmpco::errc::ok;
  jmpco::coroutine<sig> co([&](yielder&, int) {
    resumed_self = self->resume(0).code();
    closed_self = self->close().code();
    return 0;
  });
  self = &co;
  CHECK(co.resume(0).ok());
  CHECK(resumed_self == jmpco::errc::non_suspended);
  CHECK(closed_self == jmpco::errc::close_running);
}

void generator_stops_on_error() {
  jmpco::generator<int> g([](jmpco::yielder<int()>& y) {
    y.yield(1);
    y.yield(2);
    jmpco::this_coroutine::raise(jmpco::error(3, "stop"));
  });
  int sum = 0;
  for (int v : g) sum += v;
  CHECK(sum == 3);
  CHECK(g.error().user_code() == 3);
}

void nested_wrap_error_kills_the_caller_coroutine() {
  // The wrap lives outside the coroutine: a raise discards the coroutine's stack, so a handle on it
  // would never be destroyed.
  auto inner = jmpco::wrap<int()>([](jmpco::yielder<int()>&) -> int {
    jmpco::this_coroutine::raise(jmpco::error(9, "inner"));
  });
  jmpco::coroutine<sig> outer([&inner](yielder&, int) -> int { return inner() + 1; });
  jmpco::result<int> r = outer.resume(0);
  CHECK(r.code() == jmpco::errc::raised);
  CHECK(r.error().user_code() == 9);
}

void deep_chain_hits_the_limit() {
  struct chain {
    static int run(int level) {
      jmpco::coroutine<sig> next([level](yielder&, int) { return run(level + 1); });
      jmpco::result<int> r = next.resume(0);
      return r.ok() ? r.value() : level;
    }
  };
  CHECK(chain::run(0) == 200);
}

// A task killed while it waits in wait_any: its stack is discarded (the call never returns) and
// the kill frees the wait. Every block comes back, also with each allocation failing in turn
// (then only that is checked: what failed changes the outcomes).
bool strict = true;

void killed_wait_any() {
  jmpco::scheduler s;
  jmpco::channel<int> never(0);
  auto a = s.spawn([&] { return never.recv().code() == jmpco::errc::ok ? 1 : -1; });
  auto b = s.spawn([&] { return never.recv().code() == jmpco::errc::ok ? 2 : -2; });
  bool returned = false;
  auto waiter = s.spawn([&] {
    (void)jmpco::wait_any(a, b, a);
    returned = true;
  });
  (void)s.run_once();
  const bool killed = waiter.kill().ok();
  const jmpco::errc joined = waiter.join().code();
  const bool a_killed = a.kill().ok();
  const jmpco::result<std::size_t> first = jmpco::wait_any(b, a);
  if (!strict) return;
  CHECK(killed && !returned && joined == jmpco::errc::killed);
  CHECK(a_killed && first.ok() && first.value() == 1);
}

void wait_any_killed_frees_its_wait() {
  CHECK(jmpco_test::blocks_left_by(killed_wait_any) == 0);
  strict = false;
  jmpco_test::each_allocation_failing run([] { jmpco_test::on_fresh_thread(killed_wait_any); },
                                          500);
  CHECK(run.leaking_runs == 0);
  CHECK(run.runs > 3 && run.runs < 500);
}

}  // namespace

int main() {
  values_and_statuses();
  raise_kills_the_coroutine_with_an_error_value();
  close_discards_the_suspended_stack();
  misuse_codes();
  generator_stops_on_error();
  nested_wrap_error_kills_the_caller_coroutine();
  deep_chain_hits_the_limit();
  wait_any_killed_frees_its_wait();
  std::printf("noexcept: %d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
