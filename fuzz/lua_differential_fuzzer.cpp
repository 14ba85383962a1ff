// SPDX-License-Identifier: MIT
// lua_differential_fuzzer: generated Lua coroutine programs, run by the real Lua 5.4 (embedded
// liblua5.4, hosted the way the lua5.4 command hosts a script) and by jmpco-replay; any
// difference in what they print, in the exit status or in the error message traps.
//
// The program comes from luagen::generate (lua_program.cpp). The real Lua side mirrors lua.c:
// the chunk is loaded and called from a C function that is itself called with lua_pcall, under
// lua.c's message handler (without the traceback, which the conformance suite does not compare
// either), so the C-call levels, "C stack overflow" and error messages are those of
// `lua5.4 fuzz.lua`. `print` is replaced by a copy of luaB_print that writes into a buffer.
//
// Both sides get a step budget (Lua: a count hook; jmpco-replay: options::max_steps); a run that
// exhausts it is not compared. Environment: JMPCO_FUZZ_PRINT=1 prints every program and both
// outputs; JMPCO_FUZZ_LUA_AVOID_KNOWN=1 generates programs that steer clear of the known open
// differences (see lua_program.hpp and regressions/replay_*.lua).
//
// Built with JMPCO_FUZZ_HAVE_REPLAY=0 (target lua_generator_fuzzer, when jmpco_replay is not in
// the build) only the Lua side runs, and the target checks the generator instead: every program
// must compile, and two runs must print the same (no address may leak into the output).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include <lua5.4/lua.hpp>

#include "fuzz_support.hpp"
#include "lua_program.hpp"

#ifndef JMPCO_FUZZ_HAVE_REPLAY
#define JMPCO_FUZZ_HAVE_REPLAY 1
#endif
#if JMPCO_FUZZ_HAVE_REPLAY
#include "replay.hpp"
#endif

JMPCO_FUZZ_SANITIZER_DEFAULTS

namespace {

constexpr long kLuaInstructionBudget = 20'000'000;
constexpr std::uint64_t kReplayStepBudget = 4'000'000;
constexpr std::size_t kMaxOutput = 1 << 20;

struct lua_run {
  int status = 0;       // what lua5.4 would exit with
  std::string out;      // stdout
  std::string message;  // the error message after "lua: ", if status != 0
  bool budget_exhausted = false;
  bool syntax_error = false;
  long instructions = 0;
};

lua_run* current = nullptr;

// luaB_print, writing into the current run's buffer.
int capture_print(lua_State* L) {
  const int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    std::size_t len = 0;
    const char* s = luaL_tolstring(L, i, &len);
    if (i > 1) current->out += '\t';
    current->out.append(s, len);
    lua_pop(L, 1);
  }
  current->out += '\n';
  if (current->out.size() > kMaxOutput) {
    current->budget_exhausted = true;
    return luaL_error(L, "output budget exhausted");
  }
  return 0;
}

void count_hook(lua_State* L, lua_Debug*) {
  current->instructions += 1000;
  if (current->instructions > kLuaInstructionBudget) {
    current->budget_exhausted = true;
    luaL_error(L, "instruction budget exhausted");  // again every 1000 instructions if caught
  }
}

// lua.c's msghandler. Its traceback becomes part of the error object, which the main chunk's
// to-be-closed variables see while the error unwinds them; tracebacks are normalised before
// comparing (see normalise).
int msghandler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

// The lines of a traceback differ between implementations: keep "stack traceback:" and drop the
// tab-indented lines after it.
std::string normalise(const std::string& s) {
  static const std::string marker = "stack traceback:\n";
  std::string r;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t m = s.find(marker, i);
    if (m == std::string::npos) {
      r.append(s, i, std::string::npos);
      break;
    }
    r.append(s, i, m + marker.size() - i);
    i = m + marker.size();
    while (i < s.size() && s[i] == '\t') {
      const std::size_t nl = s.find('\n', i);
      i = nl == std::string::npos ? s.size() : nl + 1;
    }
  }
  return r;
}

// The message as the conformance suite compares it: up to "stack traceback:".
std::string without_traceback(const std::string& msg) {
  const std::size_t t = msg.find("\nstack traceback:");
  return t == std::string::npos ? msg : msg.substr(0, t);
}

struct chunk_source {
  const std::string* text;
};

// lua.c's pmain/handle_script/docall for one script: load, then call under msghandler.
int pmain(lua_State* L) {
  const auto* src = static_cast<const chunk_source*>(lua_touserdata(L, 1));
  luaL_openlibs(L);
  lua_pushcfunction(L, capture_print);
  lua_setglobal(L, "print");
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCGEN, 0, 0);
  int status = luaL_loadbuffer(L, src->text->data(), src->text->size(), "@fuzz.lua");
  if (status != LUA_OK) {
    current->syntax_error = status == LUA_ERRSYNTAX;
  } else {
    const int base = lua_gettop(L);  // the chunk, called with no arguments
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1000);
    status = lua_pcall(L, 0, LUA_MULTRET, base);
    lua_sethook(L, nullptr, 0, 0);
    lua_remove(L, base);
  }
  if (status != LUA_OK) {
    const char* msg = lua_tostring(L, -1);
    current->message = msg != nullptr ? msg : "(error object is not a string)";
    current->status = 1;
  }
  return 0;
}

lua_run run_lua(const std::string& program) {
  lua_run run;
  current = &run;
  lua_State* L = luaL_newstate();
  if (L == nullptr) std::abort();
  chunk_source src{&program};
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, &src);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char* msg = lua_tostring(L, -1);
    run.status = 1;
    run.message = msg != nullptr ? msg : "?";
  }
  lua_close(L);
  current = nullptr;
  return run;
}

bool print_all() {
  static const bool on = [] {
    const char* v = std::getenv("JMPCO_FUZZ_PRINT");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return on;
}

[[noreturn]] void diverge(const char* what, const std::string& program, const std::string& a_name, const std::string& a,
                          const std::string& b_name, const std::string& b) {
  std::fprintf(stderr, "\n==== lua_differential_fuzzer: %s\n---- program:\n%s\n---- %s:\n%s\n---- %s:\n%s\n", what,
               program.c_str(), a_name.c_str(), a.c_str(), b_name.c_str(), b.c_str());
  // The first differing line, to read the report quickly.
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t line_start = a.rfind('\n', i == 0 ? 0 : i - 1);
  const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  std::fprintf(stderr, "---- first difference at byte %zu:\n  %s: %.200s\n  %s: %.200s\n", i, a_name.c_str(),
               a.substr(from, a.find('\n', i) - from).c_str(), b_name.c_str(),
               b.substr(from, b.find('\n', i) - from).c_str());
  std::fflush(stderr);
  __builtin_trap();
}

std::string describe(int status, const std::string& out, const std::string& err) {
  return out + "[exit " + std::to_string(status) + "]\n" + err;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 2048) return -1;
  static const bool avoid_known = [] {
    const char* v = std::getenv("JMPCO_FUZZ_LUA_AVOID_KNOWN");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  const std::string program = luagen::generate(data, size, avoid_known);
  const lua_run lua = run_lua(program);
  if (print_all())
    std::fprintf(stderr, "---- program:\n%s---- lua5.4:\n%s", program.c_str(),
                 describe(lua.status, lua.out, lua.message).c_str());
  if (lua.syntax_error)
    diverge("the generator wrote a program that lua5.4 cannot compile", program, "lua5.4", lua.message, "expected",
            "no syntax error");
  if (lua.budget_exhausted) return 0;
  const std::string lua_out = normalise(lua.out);
  const std::string lua_err = lua.status != 0 ? "lua: " + without_traceback(lua.message) + "\n" : std::string();

#if JMPCO_FUZZ_HAVE_REPLAY
  replay::options opts;
  opts.max_steps = kReplayStepBudget;
  opts.program_name = "lua";
  opts.stack_size = std::size_t{64} << 20;
  std::ostringstream out, err;
  const int status = replay::run_source("fuzz.lua", program, out, err, opts);
  const std::string rout = normalise(out.str());
  std::string rerr = err.str();
  if (!rerr.empty() && rerr.back() == '\n') rerr = without_traceback(rerr.substr(0, rerr.size() - 1)) + "\n";
  if (print_all()) std::fprintf(stderr, "---- jmpco-replay:\n%s\n", describe(status, rout, rerr).c_str());
  if (rerr.find("step budget exhausted") != std::string::npos) {
    // Steps and VM instructions are counted differently; only a run that was short in Lua is
    // suspicious.
    if (lua.instructions < 200'000)
      diverge("jmpco-replay ran out of steps on a program lua5.4 ran quickly", program, "lua5.4",
              describe(lua.status, lua_out, lua_err), "jmpco-replay", describe(status, rout, rerr));
    return 0;
  }
  if (status != lua.status || rout != lua_out || rerr != lua_err)
    diverge("jmpco-replay and lua5.4 differ", program, "lua5.4", describe(lua.status, lua_out, lua_err), "jmpco-replay",
            describe(status, rout, rerr));
#else
  // Without the interpreter: the generator's promises. The same program must print the same.
  const lua_run again = run_lua(program);
  if (again.status != lua.status || again.out != lua.out || again.message != lua.message)
    diverge("two runs of one generated program differ (an address or other state leaked into the output)", program,
            "first run", describe(lua.status, lua.out, lua.message), "second run",
            describe(again.status, again.out, again.message));
#endif
  return 0;
}
