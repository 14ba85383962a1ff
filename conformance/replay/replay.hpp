// SPDX-License-Identifier: MIT
// jmpco-replay: a tree-walking interpreter for a subset of Lua 5.4 whose coroutines are jmpco
// coroutines. For a script inside the subset it prints what `lua5.4 FILE` prints and exits with
// the same status; an uncaught error prints `<program>: <message>` on the error stream.
#ifndef JMPCO_REPLAY_REPLAY_HPP
#define JMPCO_REPLAY_REPLAY_HPP

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace replay {

struct options {
  // Statements and calls a run may execute (and pattern matching, one per 16 matcher steps);
  // 0 = unlimited. Exceeding it ends the run with the
  // error "step budget exhausted" (pcall cannot catch it).
  std::uint64_t max_steps = 0;
  // Nested Lua calls per thread before "stack overflow"; 0 = no limit but Lua's own: its stack of
  // 1,000,000 slots (LUAI_MAXSTACK), of which every call takes an estimated share (about 1 + the
  // caller's locals), and the interpreter's thread stack (stack_size below) running low, which
  // comes first for the smallest frames and in sanitized builds.
  int max_call_depth = 0;
  // Stack of the thread the interpreter runs on; coroutines share it (jmpco copies their
  // frames in and out). Only the pages touched cost memory.
  std::size_t stack_size = sizeof(void*) >= 8 ? std::size_t{1} << 30 : std::size_t{256} << 20;
  // Prefix of the uncaught-error message.
  std::string program_name = "jmpco-replay";
};

// Runs `source` as the main chunk named `chunkname` (as lua5.4 names a file: error positions
// read "CHUNKNAME:LINE:"). Returns the exit status lua5.4 would have.
int run_source(std::string_view chunkname, std::string_view source, std::ostream& out,
               std::ostream& err, const options& opts = options());

// Reads and runs a script file; a file that cannot be read is reported like lua5.4 does.
int run_file(const std::string& path, std::ostream& out, std::ostream& err,
             const options& opts = options());

}  // namespace replay

#endif  // JMPCO_REPLAY_REPLAY_HPP
