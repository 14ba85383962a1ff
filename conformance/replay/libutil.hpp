// SPDX-License-Identifier: MIT
// Argument checks shared by the library functions, with lauxlib's messages.
#ifndef JMPCO_REPLAY_LIBUTIL_HPP
#define JMPCO_REPLAY_LIBUTIL_HPP

#include <cstdint>
#include <initializer_list>
#include <string>

#include "interp.hpp"

namespace replay {

// luaL_checkany: "bad argument #N to 'f' (value expected)".
void check_any(Interp& in, const CallArgs& a, std::size_t i);
Table* check_table(Interp& in, const CallArgs& a, std::size_t i);
std::int64_t check_integer(Interp& in, const CallArgs& a, std::size_t i);
std::int64_t opt_integer(Interp& in, const CallArgs& a, std::size_t i, std::int64_t def);
Value check_number(Interp& in, const CallArgs& a, std::size_t i);
// Strings and numbers (converted as Lua does); anything else is a type error.
std::string check_string(Interp& in, const CallArgs& a, std::size_t i);
std::string opt_string(Interp& in, const CallArgs& a, std::size_t i, const std::string& def);
bool arg_missing(const CallArgs& a, std::size_t i);
// Lua's posrelatI (a 1-based start position) and getendpos (an end position) for a string of
// `len` bytes.
std::size_t start_position(std::int64_t pos, std::size_t len);
std::size_t end_position(std::int64_t pos, std::size_t len);
// A library function whose use takes the script outside the replay subset.
void unsupported_function(Interp& in, CallArgs& a);
// Registers each "lib.name" of `qualified` in `t` as an unsupported_function.
void add_unsupported(Interp& in, Table* t, std::initializer_list<const char*> qualified);

}  // namespace replay

#endif  // JMPCO_REPLAY_LIBUTIL_HPP
