// SPDX-License-Identifier: MIT
#include "thread_state.hpp"

#include <atomic>
#include <cstdint>
#include <new>

#include "exception_state.hpp"

namespace jmpco::detail {

namespace {
std::atomic<std::uintptr_t> last_thread_id{0};
// thread_stack_bounds() keeps `low` a page clear of the guard; the stack itself starts there.
constexpr std::uintptr_t kStackGuardAllowance = 4096;
}  // namespace

thread_state::thread_state() noexcept : id(last_thread_id.fetch_add(1, std::memory_order_relaxed) + 1) {
  main.stop = UINTPTR_MAX;  // the main context owns everything above the coroutines
  unsupported = platform_refusal();
  const stack_bounds bounds = thread_stack_bounds();
  stack_low = bounds.low;
  if (bounds.high != 0) {
    stack_floor = bounds.low - kStackGuardAllowance;
    stack_span = bounds.high - stack_floor;
  }
  exception_record = exception_state_record();
}

JMPCO_PER_THREAD thread_state* this_thread_state_pointer = nullptr;

namespace {

// The state lives in raw thread-local storage, which stays valid until the thread's memory is
// gone: a user's thread_local handle may be destroyed after the thread's exit has begun (the C++
// runtime destroys thread_local objects in the reverse order of their construction), and closing
// its coroutine needs the state. So no destructor ends the state; the thread's exit is marked and
// finishes what is left (see thread_exit below).
// Without threads (JMPCO_THREADS=0) the one state lives in static storage, likewise never ended.
#if JMPCO_THREADS
alignas(thread_state) thread_local unsigned char state_storage[sizeof(thread_state)];
#else
alignas(thread_state) unsigned char state_storage[sizeof(thread_state)];
#endif

// Constructed with the state: its destructor runs when the thread exits (without threads: when
// the program's static objects are destroyed, if it ever exits).
struct thread_exit {
  thread_exit() noexcept = default;
  thread_exit(const thread_exit&) = delete;
  thread_exit& operator=(const thread_exit&) = delete;
  ~thread_exit() {
    thread_state& ts = *this_thread_state_pointer;
    ts.exited = true;
    release_thread_resources(ts);
  }
};

}  // namespace

thread_state& create_this_thread_state() noexcept {
  auto* ts = ::new (static_cast<void*>(state_storage)) thread_state();
  this_thread_state_pointer = ts;
#if JMPCO_THREADS
  static thread_local thread_exit at_exit;
#else
  static thread_exit at_exit;
#endif
  static_cast<void>(at_exit);
  return *ts;
}

}  // namespace jmpco::detail
