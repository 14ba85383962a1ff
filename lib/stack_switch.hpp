// SPDX-License-Identifier: MIT
// Stack slicing: moving control between contexts that all live on one thread's stack.
//
// A switch saves to the heap every byte of other contexts that lies inside the target's slice
// (incrementally: bytes already saved are not copied again), then copies the target's heap bytes
// back to their own addresses from a frame below them, and jumps into the target. Only bytes that
// really collide are ever copied, and every jump goes to a shallower frame than the one jumping.
#ifndef JMPCO_LIB_STACK_SWITCH_HPP
#define JMPCO_LIB_STACK_SWITCH_HPP

#include "jump.hpp"
#include "thread_state.hpp"

// The highest address the calling function may treat as its own: its frame address, or, where
// the compiler has no __builtin_frame_address, the address of the local that JMPCO_FRAME_MARKER
// declares (a statement; empty where it is not needed). Both lie at or above its stack pointer.
// Not a local's address under GCC and Clang: with ASan's use-after-return mode, locals live on a
// heap "fake stack".
// Whether JMPCO_OWN_FRAME_TOP() is the top of the frame's own bytes, with only the saved frame
// pointer and the return address at and above it: x86-64 System V under GCC and Clang, which keep
// a frame pointer in a function that takes its frame address. (A frame address may be the low end
// of its frame elsewhere, e.g. AArch64 and Thumb-2, and Win64 may point its frame pointer into the
// middle of the frame.)
#if defined(__x86_64__) && !defined(_WIN32) && (defined(__GNUC__) || defined(__clang__))
#define JMPCO_FRAME_ADDRESS_IS_FRAME_TOP 1
#else
#define JMPCO_FRAME_ADDRESS_IS_FRAME_TOP 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define JMPCO_FRAME_MARKER static_cast<void>(0)
#define JMPCO_OWN_FRAME_TOP() reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0))
#else
#define JMPCO_FRAME_MARKER volatile char jmpco_frame_marker = 0
#define JMPCO_OWN_FRAME_TOP() reinterpret_cast<std::uintptr_t>(&jmpco_frame_marker)
#endif

// A function whose frame address stands for a stack position: never inlined, and, under GCC,
// kept out of interprocedural reasoning (no cloning, no IPA constants).
#if defined(__GNUC__) && !defined(__clang__)
#define JMPCO_FRAME_FUNCTION __attribute__((noinline, noipa))
#else
#define JMPCO_FRAME_FUNCTION JMPCO_NOINLINE
#endif

namespace jmpco::detail {

// A switch leaves the running context (ts.current) for `target`. It is made in the function that
// control comes back to, because only that function can save its own context:
//
//   detail::prepare_switch(ts, target, launch);
//   if (JMPCO_SAVE_CONTEXT(ts.current->env) == 0) {
//     if (!detail::complete_switch(ts)) { /* not enough memory: nothing has changed */ }
//   }
//   // control is back in this context
//
// Every call after the save could return through it a second time, so the compiler keeps each
// value that lives across one in memory: in that frame, which is copied with the context's stack.
// The steps therefore read their operands from the thread state, which the saving frame hands
// to complete_switch (one slot there costs less than a thread-local read; on i386 the argument
// lies in the saving frame, which nothing overwrites before complete_switch is done with it).
// A target that has never run
// gets its slice below the caller and starts by calling `launch`, which must never return and
// must first call enter_new_slice (see there).
inline void prepare_switch(thread_state& ts, context* target, launch_fn launch) noexcept {
  ts.switch_target = target;
  ts.launch = launch;
}

// Saves what collides with the target's slice, puts the target's bytes back and jumps into it;
// returns false at once, with nothing changed, if a heap copy could not be allocated. `ts` is the
// calling thread's state.
bool complete_switch(thread_state& ts) noexcept;

// The first step of a `launch` function (a JMPCO_FRAME_FUNCTION), which complete_switch calls to
// start a target that has never run; `frame_top` is its JMPCO_OWN_FRAME_TOP(). Where that is the
// top of the frame's own bytes, the new slice ends there; elsewhere a frame between the two has
// set the slice up already. Either way the launch frame stays on the coroutine's stack for its
// whole life and is copied on each of its switches, so it should keep little of its own (no
// register to save: it reads the running coroutine from the thread state again after each call).
void launch_frame_entered(thread_state& ts, std::uintptr_t frame_top) noexcept;

// Leaves a context whose frames are garbage now (it finished) for `target`.
[[noreturn]] void switch_from_dying(thread_state& ts, context* target) noexcept;

// Forgets a suspended context's stack without running it: it leaves the chain and its heap copy
// is freed.
void discard_slice(thread_state& ts, context* c) noexcept;

// Frees a context's heap copy (its slice must be dead or discarded).
void free_copy(context* c) noexcept;

// A lower bound of the caller's stack pointer.
std::uintptr_t stack_position() noexcept;

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_STACK_SWITCH_HPP
