#include "thread_state.hpp"

#include <cstdint>

#include "exception_state.hpp"
#include "stack_switch.hpp"

namespace jmpco::detail {

thread_state::thread_state() noexcept {
  main.stop = UINTPTR_MAX;  // the main context owns everything above the coroutines
  unsupported = platform_refusal();
  stack_low = thread_stack_low();
  exception_record = exception_state_record();
}

thread_state::~thread_state() { free_copy(&main); }

thread_state& this_thread_state() noexcept {
  static thread_local thread_state state;
  return state;
}

}  // namespace jmpco::detail
