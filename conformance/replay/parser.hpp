// SPDX-License-Identifier: MIT
// The parser: Lua 5.4's grammar into the tree of ast.hpp, with names resolved to
// locals, upvalues and globals. It counts nesting levels the way Lua's parser does, so a chunk
// that is too deeply nested fails with Lua's "C stack overflow" at the same depth.
#ifndef JMPCO_REPLAY_PARSER_HPP
#define JMPCO_REPLAY_PARSER_HPP

#include <string_view>

#include "ast.hpp"

namespace replay {

// Throws SyntaxError with Lua's message on malformed input.
Chunk parse_chunk(std::string_view chunkname, std::string_view source);
// Parses a chunk given to load: `source_name` as load's chunkname argument ("=NAME", "@FILE" or
// the text itself, see source_id). Lua's parser counts its levels on from the C level load runs
// at (`c_level`), so near the limit a nested chunk fails with "C stack overflow".
Chunk parse_source(std::string_view source_name, std::string_view text, unsigned c_level);

}  // namespace replay

#endif  // JMPCO_REPLAY_PARSER_HPP
