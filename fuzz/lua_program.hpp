// SPDX-License-Identifier: MIT
// The program generator of lua_differential_fuzzer: turns fuzzer bytes into a small Lua 5.4
// program inside jmpco-replay's subset, built from coroutine operations.
#ifndef JMPCO_FUZZ_LUA_PROGRAM_HPP
#define JMPCO_FUZZ_LUA_PROGRAM_HPP

#include <cstddef>
#include <cstdint>
#include <string>

namespace luagen {

// Every byte string gives a syntactically valid, deterministic program that ends (no loop or
// recursion is unbounded) and prints only values whose text does not depend on addresses.
// Normally nested resume chains run to depths around Lua's C-stack limit and report the level
// where they stopped, and function literals are written where they are used. With avoid_known
// the generator steers clear of the differences that are known and still open (see
// fuzz/regressions/replay_*.lua), so that a campaign finds new ones: chains stay far below the
// limit or far above it and print nothing that depends on the exact level, and every function
// literal is defined on the lines before the statement that uses it, so that no statement that
// can raise an error spans several lines.
std::string generate(const std::uint8_t* data, std::size_t size, bool avoid_known = false);

}  // namespace luagen

#endif  // JMPCO_FUZZ_LUA_PROGRAM_HPP
