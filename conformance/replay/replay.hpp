// SPDX-License-Identifier: MIT
// jmpco-replay: a tree-walking interpreter for a subset of Lua 5.4 whose coroutines are jmpco
// coroutines. For a script inside the subset it prints what `lua5.4 FILE` prints and exits with
// the same status; an uncaught error prints `<program>: <message>` on the error stream.
#ifndef JMPCO_REPLAY_REPLAY_HPP
#define JMPCO_REPLAY_REPLAY_HPP

#include <ostream>
#include <string>
#include <string_view>

#include "options.hpp"

namespace replay {

// Runs `source` as the main chunk named `chunkname` (as lua5.4 names a file: error positions
// read "CHUNKNAME:LINE:"). Returns the exit status lua5.4 would have.
int run_source(std::string_view chunkname, std::string_view source, std::ostream& out,
               std::ostream& err, const options& opts = options());

// Reads and runs a script file; a file that cannot be read is reported like lua5.4 does.
int run_file(const std::string& path, std::ostream& out, std::ostream& err,
             const options& opts = options());

}  // namespace replay

#endif  // JMPCO_REPLAY_REPLAY_HPP
