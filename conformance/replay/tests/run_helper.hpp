// SPDX-License-Identifier: MIT
// Runs Lua source through the replay interpreter and captures what it prints.
#ifndef JMPCO_REPLAY_TESTS_RUN_HELPER_HPP
#define JMPCO_REPLAY_TESTS_RUN_HELPER_HPP

#include <sstream>
#include <string>

#include "replay.hpp"

namespace replay_test {

struct Run {
  int status;
  std::string out;
  std::string err;
};

inline Run run_lua(const std::string& source, replay::options opts = replay::options()) {
  std::ostringstream out, err;
  int status = replay::run_source("t.lua", source, out, err, opts);
  return Run{status, out.str(), err.str()};
}

// The output of a script that must succeed.
inline std::string output_of(const std::string& source) { return run_lua(source).out; }

}  // namespace replay_test

#endif  // JMPCO_REPLAY_TESTS_RUN_HELPER_HPP
