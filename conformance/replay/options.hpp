// SPDX-License-Identifier: MIT
// How a jmpco-replay run is bounded: what the driver (replay.hpp) passes to the interpreter.
#ifndef JMPCO_REPLAY_OPTIONS_HPP
#define JMPCO_REPLAY_OPTIONS_HPP

#include <cstddef>
#include <cstdint>
#include <string>

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

}  // namespace replay

#endif  // JMPCO_REPLAY_OPTIONS_HPP
