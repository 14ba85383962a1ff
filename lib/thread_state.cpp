// SPDX-License-Identifier: MIT
#include "thread_state.hpp"

#include <atomic>
#include <cstdint>
#include <new>

#include "exception_state.hpp"
#include "jmpco/error.hpp"

namespace jmpco::detail {

namespace {
std::atomic<std::uintptr_t> last_thread_id{0};
// thread_stack_bounds() keeps `low` a page clear of the guard; the stack itself starts there.
constexpr std::uintptr_t kStackGuardAllowance = 4096;
}  // namespace

thread_state::thread_state() noexcept
    : id(last_thread_id.fetch_add(1, std::memory_order_relaxed) + 1) {
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

#if !(defined(_WIN32) && JMPCO_THREADS)
JMPCO_PER_THREAD thread_state* this_thread_state_pointer = nullptr;
#endif

#if defined(_WIN32) && JMPCO_THREADS
// On Windows the state lives on the heap, and the exit hook (thread_state_windows.cpp) frees it:
// MinGW's thread_local storage is emulated and freed by winpthreads before the thread's
// fiber-local storage callbacks run, so it could not hold the state until the hook.
thread_state& create_this_thread_state() noexcept {
  void* storage = ::operator new(sizeof(thread_state), std::nothrow);
  if (storage == nullptr) fail_fatally("out of memory for the thread's coroutine state");
  auto* ts = ::new (storage) thread_state();
  set_this_thread_state(ts);
  call_at_thread_exit(*ts);
  return *ts;
}
#else
namespace {

// The state lives in raw thread-local storage, which stays valid until the thread's memory is
// gone: a user's thread_local handle may be destroyed after the thread's exit has begun (the C++
// runtime destroys thread_local objects in the reverse order of their construction), and closing
// its coroutine needs the state. So no destructor ends the state; the thread's exit is marked and
// finishes what is left (thread_exiting, called by the hook of thread_exit_*.cpp).
// Without threads (JMPCO_THREADS=0) the one state lives in static storage, likewise never ended.
#if JMPCO_THREADS
alignas(thread_state) thread_local unsigned char state_storage[sizeof(thread_state)];
#else
alignas(thread_state) unsigned char state_storage[sizeof(thread_state)];
#endif

}  // namespace

thread_state& create_this_thread_state() noexcept {
  auto* ts = ::new (static_cast<void*>(state_storage)) thread_state();
  set_this_thread_state(ts);
  call_at_thread_exit(*ts);
  return *ts;
}
#endif

void thread_exiting(thread_state& ts) noexcept {
  ts.exited = true;
  release_thread_resources(ts);
}

}  // namespace jmpco::detail
