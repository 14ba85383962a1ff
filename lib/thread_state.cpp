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

#if defined(__GNUC__) || defined(__clang__)
__thread thread_state* this_thread_state_pointer = nullptr;
#else
thread_local thread_state* this_thread_state_pointer = nullptr;
#endif

// The state itself is a thread_local object, so that the C++ runtime destroys it with its thread.
thread_state& create_this_thread_state() noexcept {
  static thread_local thread_state state;
  this_thread_state_pointer = &state;
  return state;
}

}  // namespace jmpco::detail
