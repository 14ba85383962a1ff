// SPDX-License-Identifier: MIT
// Conditions under which copied-stack switching cannot work, detected instead of assumed:
// a stack that grows upward (HP PA-RISC and a few others), and Intel CET shadow stacks, whose
// hardware copy of return addresses cannot follow a jump into frames that were restored.
#include <cstdio>
#include <cstring>

#include "jmpco/config.hpp"
#include "stack_switch.hpp"
#include "thread_state.hpp"

namespace jmpco::detail {
namespace {

// Compares a callee's frame with the caller's.
JMPCO_NOINLINE bool stack_grows_down() noexcept {
  JMPCO_FRAME_MARKER;
  return stack_position() < JMPCO_OWN_FRAME_TOP();
}

// Linux reports enabled x86 user shadow stacks in /proc/self/status ("x86_Thread_features:").
bool shadow_stack_enabled() noexcept {
#if defined(__linux__) && (defined(__x86_64__) || defined(__i386__))
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return false;
  char line[256];
  bool enabled = false;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::strncmp(line, "x86_Thread_features:", 20) == 0 &&
        std::strstr(line, "shstk") != nullptr)
      enabled = true;
  }
  std::fclose(status);
  return enabled;
#else
  return false;
#endif
}

const char* find_refusal() noexcept {
  if (!stack_grows_down()) return "jmpco: this target's stack grows upward, which is not supported";
  if (shadow_stack_enabled())
    return "jmpco: CET shadow stacks are enabled for this process; copied-stack coroutines cannot "
           "run";
  return nullptr;
}

}  // namespace

const char* platform_refusal() noexcept {
  static const char* const reason = find_refusal();  // the same for every thread of the process
  return reason;
}

}  // namespace jmpco::detail
