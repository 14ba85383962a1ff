// SPDX-License-Identifier: MIT
// Binary chunks: what string.dump makes and load takes back. The replay keeps no bytecode, so a
// chunk names the dumped function's prototype in the running interpreter instead of holding it:
// Lua's header (signature, version 5.4, format 0, LUAC_DATA), then "jmpco-replay\0", the run's
// token (8 bytes), the prototype's number (4 bytes) and the strip flag (1 byte), little-endian.
// A chunk loads only in the run that dumped it; any other is refused with lundump.c's
// "bad binary format (...)" message.
#ifndef JMPCO_REPLAY_BINARY_CHUNK_HPP
#define JMPCO_REPLAY_BINARY_CHUNK_HPP

#include <string>

#include "interp.hpp"

namespace replay {

// The chunk for Lua function `fn`, stripped of debug information when `strip`.
std::string dump_function(Interp& in, const Function& fn, bool strip);

// lundump.c's luaU_undump: a new function for `text` (a binary chunk) whose first upvalue is
// `env`, or nil with `error` set ("NAME: bad binary format (WHY)").
Value undump(Interp& in, const std::string& text, const std::string& chunkname, Value env,
             std::string& error);

}  // namespace replay

#endif  // JMPCO_REPLAY_BINARY_CHUNK_HPP
