// SPDX-License-Identifier: MIT
// Lua's C-level limits (luaconf.h / llimits.h) that both the parser and the interpreter count.
#ifndef JMPCO_REPLAY_LUA_LIMITS_HPP
#define JMPCO_REPLAY_LUA_LIMITS_HPP

#include "jmpco/core.hpp"

namespace replay {

// LUAI_MAXCCALLS: nesting levels of the parser, and of calls and resumes at run time. jmpco's
// default nesting limit is the same Lua limit.
constexpr unsigned kMaxCCalls = jmpco::coroutine_core::default_nesting_limit;
// Beyond it, while handling errors: "error in error handling".
constexpr unsigned kErrorHandlingCCalls = kMaxCCalls / 10 * 11;

}  // namespace replay

#endif  // JMPCO_REPLAY_LUA_LIMITS_HPP
