// SPDX-License-Identifier: MIT
// replay_parser_fuzzer: jmpco-replay's lexer, parser and interpreter on arbitrary bytes.
//
// Every input is run as a Lua chunk by replay::run_source with a step budget, so loops end; the
// target checks that nothing crashes, trips a sanitizer, leaks (LeakSanitizer at exit and
// libFuzzer's per-input leak check) or hangs (libFuzzer's -timeout), and that the run reports
// the way lua5.4 does: an error ends it with exit status 1 and one "lua: MESSAGE" report
// (MESSAGE may span lines); otherwise nothing is on the error stream (os.exit may choose any
// status).
//
// Inputs are capped at 8 KiB; a chunk that runs out of steps is fine.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "replay.hpp"

JMPCO_FUZZ_SANITIZER_DEFAULTS

namespace {

[[noreturn]] void fail(const char* what, int status, const std::string& out, const std::string& err) {
  std::fprintf(stderr,
               "\n==== replay_parser_fuzzer: %s (exit status %d)\n--- stdout (%zu bytes):\n%.2000s\n"
               "--- stderr:\n%.2000s\n",
               what, status, out.size(), out.c_str(), err.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return -1;
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  replay::options opts;
  // Steps bound the work of the interpreter, not of the stack switching: a coroutine that yields
  // from a recursion d calls deep copies its d frames at every yield, so deep recursion makes
  // time quadratic. Both limits are kept small so that every input finishes in well under a
  // second even under ASan (runaway recursion then ends with "stack overflow").
  opts.max_steps = 4000;
  opts.max_call_depth = 100;
  opts.program_name = "lua";
  // A smaller thread stack than the default 256 MiB: the interpreter checks its depth against
  // the stack it gets (and raises "stack overflow"), and ASan clears the shadow of the whole
  // stack at every thread start.
  opts.stack_size = std::size_t{32} << 20;
  std::ostringstream out, err;
  const int status = replay::run_source("fuzz.lua", source, out, err, opts);
  const std::string o = out.str(), e = err.str();
  // os.exit(n) ends a run quietly with any status; an error ends it with 1 and a report.
  if (status == 0 && !e.empty()) fail("error output from a successful run", status, o, e);
  if (!e.empty()) {
    if (status != 1) fail("an error report with an exit status other than 1", status, o, e);
    if (e.rfind("lua: ", 0) != 0) fail("the error report does not start with 'lua: '", status, o, e);
    if (e.back() != '\n') fail("the error report does not end with a newline", status, o, e);
    // jmpco-replay reports a C++ exception that escaped the interpreter as "internal error: ...".
    // A chunk can raise that text itself (error("internal error", 0)); only a chunk that does not
    // mention it is held to this.
    if (e.rfind("lua: internal error", 0) == 0 && source.find("internal") == std::string_view::npos)
      fail("internal error", status, o, e);
  }
  return 0;
}
