// SPDX-License-Identifier: MIT
// Runs Lua source through the replay interpreter and captures what it prints.
#ifndef JMPCO_REPLAY_TESTS_RUN_HELPER_HPP
#define JMPCO_REPLAY_TESTS_RUN_HELPER_HPP

#include <cstddef>
#include <sstream>
#include <string>

#include "replay.hpp"

namespace replay_test {

struct Run {
  int status;
  std::string out;
  std::string err;
};

// The options of a unit test's run: the tests stay within 48 MiB of stack (what the ASan build
// allows), and the default 1 GiB thread stack costs Valgrind about 3 s per run.
inline replay::options test_options() {
  replay::options opts;
  opts.stack_size = std::size_t{64} << 20;
  return opts;
}

inline Run run_lua(const std::string& source, replay::options opts = test_options()) {
  std::ostringstream out, err;
  int status = replay::run_source("t.lua", source, out, err, opts);
  return Run{status, out.str(), err.str()};
}

// The output of a script that must succeed.
inline std::string output_of(const std::string& source) { return run_lua(source).out; }

}  // namespace replay_test

#endif  // JMPCO_REPLAY_TESTS_RUN_HELPER_HPP
