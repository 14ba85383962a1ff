// SPDX-License-Identifier: MIT
// Per-thread bookkeeping: the thread's main context, the chain of contexts that still have bytes
// on the stack, and the limits that resume enforces.
#ifndef JMPCO_LIB_THREAD_STATE_HPP
#define JMPCO_LIB_THREAD_STATE_HPP

#include <cstddef>
#include <cstdint>

#include "jmpco/core.hpp"

namespace jmpco::detail {

using launch_fn = void (*)();

struct thread_state {
  thread_state() noexcept;  // never destroyed (but on Windows): see create_this_thread_state()
  thread_state(const thread_state&) = delete;
  thread_state& operator=(const thread_state&) = delete;

  std::uintptr_t id;         // unique among every thread this process has run coroutines on
  context main;              // the thread's own context; its stop is above every address
  context* current = &main;  // the context executing now: the head of the stack chain
  coroutine_core* running = nullptr;  // the coroutine executing now, nullptr on main
  unsigned nesting_limit = coroutine_core::default_nesting_limit;
  std::size_t stack_reserve = std::size_t{64} * 1024;
  std::uintptr_t stack_low = 0;  // lowest usable address of this thread's stack; 0 if unknown
  // The thread's whole stack is [stack_floor, stack_floor + stack_span): one subtraction and one
  // comparison tell a foreign stack on every switch. Unknown bounds: 0 and the whole address space.
  std::uintptr_t stack_floor = 0;
  std::uintptr_t stack_span = UINTPTR_MAX;
  const char* unsupported = nullptr;  // why this thread cannot run coroutines, if it cannot
  void* exception_record = nullptr;   // the C++ runtime's per-thread exception state
  // Handed across the register save of a switch through here rather than in registers, which
  // would be spilled into the saved frame.
  context* switch_target = nullptr;
  launch_fn launch = nullptr;
  coroutine_core* yielding = nullptr;  // the coroutine in yield_core(), for its failure path
  // The coroutine whose unwind for a released handle is being entered: exempt from the nesting
  // limit, which guards ordinary nesting, not the unwinding of stacks that already exist.
  const coroutine_core* unwinding_for_release = nullptr;
  // Released coroutines whose unwind could not run yet (linked through their resumer_).
  coroutine_core* deferred = nullptr;
  bool running_deferred = false;  // run_deferred_closes() is on the stack
  bool exited = false;            // the thread's exit has begun: its thread_local objects go
};

// True when `sp`, a stack position, lies on this thread's own stack (or the bounds are unknown).
inline bool on_thread_stack(const thread_state& ts, std::uintptr_t sp) noexcept {
  return sp - ts.stack_floor < ts.stack_span;
}

// The calling thread's state is reached on every switch: a plain pointer in thread-local storage
// (constant-initialised, so no guard and no wrapper call) points at it once it exists. A build
// without threads (JMPCO_THREADS=0) has one state, and the pointer is a plain static.
// On Windows it is a system TLS slot instead (thread_state_windows.cpp): MinGW only emulates
// thread_local storage, and winpthreads frees that before the thread's exit hook runs, while
// frames suspended in coroutines may still hold its old address.
#if defined(_WIN32) && JMPCO_THREADS
thread_state* this_thread_state_if_any() noexcept;
void set_this_thread_state(thread_state* ts) noexcept;
#else
#if !JMPCO_THREADS
#define JMPCO_PER_THREAD
#elif defined(__GNUC__) || defined(__clang__)
#define JMPCO_PER_THREAD __thread
#else
#define JMPCO_PER_THREAD thread_local
#endif
extern JMPCO_PER_THREAD thread_state* this_thread_state_pointer;
inline thread_state* this_thread_state_if_any() noexcept { return this_thread_state_pointer; }
inline void set_this_thread_state(thread_state* ts) noexcept { this_thread_state_pointer = ts; }
#endif
thread_state& create_this_thread_state() noexcept;
// At the thread's exit, and after it for each handle released later: runs the deferred unwinds
// and frees the main context's scratch copy.
void release_thread_resources(thread_state& ts) noexcept;
// Marks the thread's exit and releases what it still holds; called once, by the exit hook.
void thread_exiting(thread_state& ts) noexcept;
// The exit hook (a variant file): makes the thread call thread_exiting(ts) when it exits, while
// ts is still valid. Called once per thread, when its state is created.
void call_at_thread_exit(thread_state& ts) noexcept;

inline thread_state& this_thread_state() noexcept {
  thread_state* ts = this_thread_state_if_any();
  return ts != nullptr ? *ts : create_this_thread_state();
}

// Platform probes, each in a file named after what it handles.
// The calling thread's stack: the lowest usable address and the top, or {0, 0} where the OS
// cannot tell.
struct stack_bounds {
  std::uintptr_t low;
  std::uintptr_t high;
};
stack_bounds thread_stack_bounds() noexcept;
// Non-null (a reason) when the stack grows up, or a shadow stack would reject our jumps.
const char* platform_refusal() noexcept;

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_THREAD_STATE_HPP
