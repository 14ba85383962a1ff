// SPDX-License-Identifier: MIT
// A pipeline of generators: each stage pulls from the one before it, so a value travels through
// every stage before the next one is produced, and nothing is buffered in between.
#include <cstdio>
#include <string>

#include "jmpco/jmpco.hpp"

namespace {

// The source: the lines of a small log.
jmpco::generator<std::string> read_lines() {
  return jmpco::generator<std::string>([](jmpco::yielder<std::string()>& y) {
    for (const char* line : {"ok boot", "warn disk 91%", "ok net up", "warn temp 71C", "ok idle"})
      y.yield(line);
  });
}

// A filter: only the lines that start with `prefix`. It resumes the stage before it from inside
// its own body (nested coroutines).
jmpco::generator<std::string> starting_with(std::string prefix, jmpco::generator<std::string> in) {
  return jmpco::generator<std::string>(
      [prefix, in = std::move(in)](jmpco::yielder<std::string()>& y) mutable {
        for (const std::string& line : in)
          if (line.compare(0, prefix.size(), prefix) == 0) y.yield(line);
      });
}

// A map: numbers each line it passes on.
jmpco::generator<std::string> numbered(jmpco::generator<std::string> in) {
  return jmpco::generator<std::string>(
      [in = std::move(in)](jmpco::yielder<std::string()>& y) mutable {
        int n = 0;
        for (const std::string& line : in) y.yield(std::to_string(++n) + ": " + line);
      });
}

}  // namespace

int main() {
  for (const std::string& line : numbered(starting_with("warn", read_lines())))
    std::printf("%s\n", line.c_str());
}
