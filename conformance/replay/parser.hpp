// SPDX-License-Identifier: MIT
// The parser: Lua 5.4's grammar into the tree of ast.hpp, with names resolved to
// locals, upvalues and globals. It counts nesting levels the way Lua's parser does, so a chunk
// that is too deeply nested fails with Lua's "C stack overflow" at the same depth.
#ifndef JMPCO_REPLAY_PARSER_HPP
#define JMPCO_REPLAY_PARSER_HPP

#include <string_view>

#include "ast.hpp"
#include "lexer.hpp"

namespace replay {

// The parser's levels ran out (Lua's luaE_checkcstack, reached through enterlevel): at exactly
// LUAI_MAXCCALLS levels a runtime error, "C stack overflow", that the running message handler
// sees (`level` is where it runs from); beyond that (a chunk loaded while a handler runs), "error
// in error handling", which no handler sees.
struct ParserStackError : SyntaxError {
  ParserStackError(const char* message, unsigned at_level, bool is_handled)
      : SyntaxError(message), level(at_level), handled(is_handled) {}
  unsigned level;
  bool handled;
};

// Throws SyntaxError with Lua's message on malformed input (a ParserStackError when it nests too
// deeply).
Chunk parse_chunk(std::string_view chunkname, std::string_view source);
// Parses a chunk given to load: `source_name` as load's chunkname argument ("=NAME", "@FILE" or
// the text itself, see source_id). Lua's parser counts its levels on from the C level load runs
// at (`c_level`), so near the limit a nested chunk fails with "C stack overflow".
Chunk parse_source(std::string_view source_name, std::string_view text, unsigned c_level);

}  // namespace replay

#endif  // JMPCO_REPLAY_PARSER_HPP
