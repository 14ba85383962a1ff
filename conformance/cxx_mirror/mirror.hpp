// SPDX-License-Identifier: MIT
// Helpers shared by the GoogleTest mirrors of the Lua conformance scenarios.
//
// Each test in this directory is named after the scenario it mirrors
// (conformance/scenarios/NAME.lua) and asserts what conformance/golden/NAME.stdout shows, in the
// form the C++ API gives it. How Lua's notions map onto C++:
//
//   Lua                                  C++ (jmpco)
//   coroutine.create / resume            jmpco::coroutine<Out(In...)>, resume() -> result<Out>
//   coroutine.yield                      yielder::yield, this_coroutine::try_yield<Sig>
//   coroutine.wrap                       jmpco::wrap<Sig> (re-raises as itself: no position prefix)
//   coroutine.status / running           handle.status(), this_coroutine::running() == co.core()
//   coroutine.isyieldable()              this_coroutine::is_yieldable()
//   the main thread                      the thread's main context: running() == nullptr there
//   error(v) / pcall                     throw v / try-catch (mirror::pcall below)
//   string / table / nil error values    lua_error / table_ref (identity) / nullptr
//   local x <close>                      an object with a destructor; mirror::with_close when the
//                                        handler must see the error or raise its own
//   coroutine.close                      close(): unwinds the suspended stack with forced_unwind
//   value lists with nils, varargs       mirror::values (std::vector of a Lua-like variant),
//                                        std::optional, std::vector
//   nCcalls nesting levels               coroutine_core::level / enter_level / set_nesting_limit
//
// Values always travel through resume/yield (or live in the test's own frame, on the main
// context, which every coroutine may touch while it runs); nothing reads the locals of a
// suspended coroutine.
#ifndef JMPCO_CXX_MIRROR_MIRROR_HPP
#define JMPCO_CXX_MIRROR_MIRROR_HPP

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "jmpco/jmpco.hpp"

// Readable gtest failure messages for statuses and error codes (found by argument-dependent lookup).
namespace jmpco {
inline void PrintTo(status s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(errc e, std::ostream* os) { *os << message(e); }
}  // namespace jmpco

namespace mirror {

using jmpco::errc;
using jmpco::status;
using core = jmpco::coroutine_core;

// ---- Lua values ----------------------------------------------------------------------------

// Lua's error("text"): a string error value.
struct lua_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A Lua table; the scenarios only ever compare tables by identity and read a field or two.
struct table {
  int code = 0;
  std::string name;
};
using table_ref = std::shared_ptr<table>;
inline table_ref new_table(int code = 0, std::string name = {}) {
  return std::make_shared<table>(table{code, std::move(name)});
}

using function_ref = void (*)();
// A Lua value: nil, boolean, integer, float, string, table, function, thread.
using value = std::variant<std::monostate, bool, long long, double, std::string, table_ref, function_ref, core*>;
// A Lua value list (varargs, resume/yield results), nils and their count included.
using values = std::vector<value>;

inline value v(std::nullptr_t) { return value{}; }
inline value v(bool b) { return value{b}; }
inline value v(int i) { return value{static_cast<long long>(i)}; }
inline value v(long long i) { return value{i}; }
inline value v(double d) { return value{d}; }
inline value v(const char* s) { return value{std::string(s)}; }
inline value v(std::string s) { return value{std::move(s)}; }
inline value v(table_ref t) { return value{std::move(t)}; }
inline value v(function_ref f) { return value{f}; }
inline value v(core* c) { return value{c}; }
inline value v(value x) { return x; }
template <class... A>
values vals(A&&... a) {
  return values{v(std::forward<A>(a))...};
}

// Lua's type().
inline std::string type_name(const value& x) {
  static const char* const names[] = {"nil", "boolean", "number", "number", "string", "table", "function", "thread"};
  return names[x.index()];
}

// Lua 5.4's number formatting (%.14g, floats that look like integers get ".0").
inline std::string fmt(long long i) { return std::to_string(i); }
inline std::string fmt(int i) { return std::to_string(i); }
inline std::string fmt(double d) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.14g", d);
  std::string s = buffer;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // n: nan, inf
  return s;
}

// Lua's tostring() for the values the scenarios print.
inline std::string str(const value& x) {
  struct visitor {
    std::string operator()(std::monostate) const { return "nil"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(long long i) const { return fmt(i); }
    std::string operator()(double d) const { return fmt(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const table_ref&) const { return "table"; }
    std::string operator()(function_ref) const { return "function"; }
    std::string operator()(core*) const { return "thread"; }
  };
  return std::visit(visitor{}, x);
}

// The values joined with tabs, as print() shows them.
inline std::string print(const values& list) {
  std::string line;
  for (std::size_t i = 0; i < list.size(); ++i) line += (i ? "\t" : "") + str(list[i]);
  return line;
}

// ---- errors --------------------------------------------------------------------------------

// The object an exception_ptr holds, if it is a T.
template <class T>
std::optional<T> caught_as(const std::exception_ptr& e) {
  if (!e) return std::nullopt;
  try {
    std::rethrow_exception(e);
  } catch (const T& x) {
    return x;
  } catch (...) {
  }
  return std::nullopt;
}

// The message of a failed result or a caught exception (what() of a std::exception, Lua's
// message for misuse), "nil" for no exception at all.
inline std::string text(const jmpco::error& e) { return e.what(); }
inline std::string text(const std::exception_ptr& e) {
  if (!e) return "nil";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
  }
  return "(non-exception error object)";
}

// Lua's pcall: runs f and returns what it threw (nullptr if it returned). jmpco::forced_unwind,
// thrown while coroutine.close unwinds a coroutine, always passes through: that is the rule for
// catch-all blocks inside coroutines.
template <class F>
std::exception_ptr pcall(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const jmpco::forced_unwind&) {
    throw;
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

// ---- nesting levels ------------------------------------------------------------------------

// One nesting level spent while alive, the way a Lua C call (pcall, a metamethod, a __close
// handler, a generic-for iterator call) spends one of nCcalls. Past the limit it raises
// "C stack overflow" as Lua's luaE_checkcstack does.
class level_guard {
 public:
  level_guard() {
    if (core::enter_level() != errc::ok) throw jmpco::coroutine_error(jmpco::error(errc::c_stack_overflow));
  }
  ~level_guard() { core::leave_level(); }
  level_guard(const level_guard&) = delete;
  level_guard& operator=(const level_guard&) = delete;
};

// Lua's pcall together with the level it spends.
template <class F>
std::exception_ptr pcall_level(F&& f) {
  return pcall([&] {
    level_guard spent;
    std::forward<F>(f)();
  });
}

// lua5.4 (the standalone interpreter) has spent three levels of its 200 by the time the main
// chunk runs, which is why the goldens show 197-level chains from the main chunk. A test that
// mirrors a main-chunk depth scenario spends the same three levels on its main context, so the
// same chains run just as deep under jmpco's default limit of 200.
class lua_main_chunk {
 public:
  static constexpr unsigned levels = 3;
  lua_main_chunk() {
    limit_ = core::nesting_limit();
    core::set_nesting_limit(200);
    for (unsigned i = 0; i < levels; ++i) EXPECT_EQ(core::enter_level(), errc::ok);
  }
  ~lua_main_chunk() {
    for (unsigned i = 0; i < levels; ++i) core::leave_level();
    core::set_nesting_limit(limit_);
  }
  lua_main_chunk(const lua_main_chunk&) = delete;
  lua_main_chunk& operator=(const lua_main_chunk&) = delete;

 private:
  unsigned limit_ = 200;
};

// ---- to-be-closed variables ----------------------------------------------------------------

// `local x <close> = obj` around the rest of a block, for handlers that need what a destructor
// cannot have: the error the block is left with (Lua's second __close argument), and the right to
// raise an error that replaces it (a destructor that throws while unwinding would terminate).
// handler(err) runs when body leaves: err is nullptr after a normal exit and when
// coroutine.close unwinds the block (jmpco::forced_unwind), else the exception in flight.
// If handler throws, its exception replaces the one in flight, as in Lua.
template <class Handler, class Body>
auto with_close(Handler&& handler, Body&& body) {
  auto closing = [&handler](auto&& run) {
    try {
      run();
    } catch (const jmpco::forced_unwind&) {
      handler(std::exception_ptr());
      throw;
    } catch (...) {
      handler(std::current_exception());
      throw;
    }
    handler(std::exception_ptr());
  };
  using R = std::invoke_result_t<Body&>;
  if constexpr (std::is_void_v<R>) {
    closing(body);
  } else {
    std::optional<R> r;
    closing([&] { r.emplace(body()); });
    return std::move(*r);
  }
}

// An object whose destructor appends "close NAME" to a log: a to-be-closed variable with a
// __close handler that prints.
struct closer {
  std::vector<std::string>* log;
  std::string name;
  closer(std::vector<std::string>& l, std::string n) : log(&l), name(std::move(n)) {}
  closer(const closer&) = delete;
  closer& operator=(const closer&) = delete;
  ~closer() { log->push_back("close " + name); }
};

// Lua's status of the main thread, which has no handle in C++: "running" when no coroutine runs
// on this thread, "normal" while one does.
inline std::string main_status() { return core::running() == nullptr ? "running" : "normal"; }
inline std::string st(jmpco::status s) { return jmpco::to_string(s); }

}  // namespace mirror

#endif  // JMPCO_CXX_MIRROR_MIRROR_HPP
