// SPDX-License-Identifier: MIT
// Lua's C-level limits (luaconf.h / llimits.h) that both the parser and the interpreter count.
#ifndef JMPCO_REPLAY_LUA_LIMITS_HPP
#define JMPCO_REPLAY_LUA_LIMITS_HPP

#include <cstddef>

#include "jmpco/core.hpp"

namespace replay {

// LUAI_MAXCCALLS: nesting levels of the parser, and of calls and resumes at run time. jmpco's
// default nesting limit is the same Lua limit.
constexpr unsigned kMaxCCalls = jmpco::coroutine_core::default_nesting_limit;
// Beyond it, while handling errors: "error in error handling".
constexpr unsigned kErrorHandlingCCalls = kMaxCCalls / 10 * 11;

// LUAI_MAXSTACK: slots of one thread's Lua stack. Beyond it a call fails with "stack overflow".
constexpr long kLuaMaxStack = 1000000;
// ERRORSTACKSIZE - LUAI_MAXSTACK: the room a thread gets, once, to handle its stack overflow (the
// message handler runs there); going beyond it is an "error in error handling".
constexpr long kErrorStackRoom = 200;
// LUA_MINSTACK: the free slots a C function is started with.
constexpr long kCFunctionStack = 20;

// LUAL_BUFFERSIZE (16 * sizeof(void*) * sizeof(lua_Number)) of the 64-bit lua5.4 the goldens come
// from: the bytes a luaL_Buffer holds before it moves into a to-be-closed box.
constexpr std::size_t kLuaLBufferSize = 1024;

// MAXTAGLOOP: __index / __newindex handlers followed before "'__index' chain too long; possibly
// a loop".
constexpr int kMaxTagLoop = 2000;

}  // namespace replay

#endif  // JMPCO_REPLAY_LUA_LIMITS_HPP
