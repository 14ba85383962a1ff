// SPDX-License-Identifier: MIT
// Runs the tests that the files of tests/ register through tests/bare_metal/gtest/gtest.h, one
// after another on the one thread, and ends with the line
//   <program>: N passed, M failed, K skipped
// exiting nonzero when a test failed or none ran. jmpco's memory comes from its default allocator
// (newlib's malloc on the port's heap), as on a hosted target: the tests install allocators of
// their own that wrap malloc, and a block must go back to the allocator it came from.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "thread_state.hpp"

namespace minitest {
namespace {

registration* first_test = nullptr;
registration** last_link = &first_test;

struct current_test_state {
  bool failed = false;
  bool skipped = false;
};
current_test_state current;
std::vector<std::string> traces;

}  // namespace

registration::registration(const char* suite_name, const char* test_name,
                           test_function test) noexcept
    : suite(suite_name), name(test_name), fn(test) {
  *last_link = this;
  last_link = &next;
}

void record(const report& r, const std::string& streamed) {
  if (r.kind == outcome::skip) {
    current.skipped = true;
    std::printf("  skipped: %s\n", streamed.c_str());
    return;
  }
  current.failed = true;
  std::printf("%s:%d: Failure\n  %s\n", r.file, r.line, r.what.c_str());
  if (!streamed.empty()) std::printf("  %s\n", streamed.c_str());
  for (auto it = traces.rbegin(); it != traces.rend(); ++it)
    std::printf("  trace: %s\n", it->c_str());
}

scoped_trace::scoped_trace(const char* file, int line, const message& m) {
  traces.push_back(std::string(file) + ":" + std::to_string(line) + ": " + m.str());
}
scoped_trace::~scoped_trace() { traces.pop_back(); }

verdict compare_strings(const char* a_text, const char* b_text, const char* a, const char* b) {
  const bool equal = (a == nullptr || b == nullptr) ? a == b : std::strcmp(a, b) == 0;
  if (equal) return {true, {}};
  return {false, std::string("expected ") + a_text + " equal to " + b_text + ", got \"" +
                     (a ? a : "(null)") + "\" and \"" + (b ? b : "(null)") + "\""};
}

verdict truth(bool holds, const char* text, bool expected) {
  if (holds == expected) return {true, {}};
  return {false, std::string("expected ") + text + " to be " + (expected ? "true" : "false")};
}

}  // namespace minitest

namespace {

// Each test starts as on a fresh thread: the thread's main context gives back its scratch copy
// (as a thread's exit would).
void between_tests() {
  jmpco::detail::release_thread_resources(jmpco::detail::this_thread_state());
}

}  // namespace

int main() {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  for (minitest::registration* t = minitest::first_test; t != nullptr; t = t->next) {
    minitest::current = {};
    std::printf("[ RUN      ] %s.%s\n", t->suite, t->name);
    t->fn();
    between_tests();
    if (minitest::current.failed) {
      ++failed;
      std::printf("[  FAILED  ] %s.%s\n", t->suite, t->name);
    } else if (minitest::current.skipped) {
      ++skipped;
      std::printf("[  SKIPPED ] %s.%s\n", t->suite, t->name);
    } else {
      ++passed;
      std::printf("[       OK ] %s.%s\n", t->suite, t->name);
    }
  }
  std::printf("%s: %d passed, %d failed, %d skipped\n", minitest::program_name, passed, failed,
              skipped);
  return failed == 0 && passed > 0 ? 0 : 1;
}
