// Stack slicing: moving control between contexts that all live on one thread's stack.
//
// A switch saves to the heap every byte of other contexts that lies inside the target's slice
// (incrementally: bytes already saved are not copied again), then copies the target's heap bytes
// back to their own addresses from a frame below them, and jumps into the target. Only bytes that
// really collide are ever copied, and every jump goes to a shallower frame than the one jumping.
#ifndef JMPCO_LIB_STACK_SWITCH_HPP
#define JMPCO_LIB_STACK_SWITCH_HPP

#include "thread_state.hpp"

namespace jmpco::detail {

using launch_fn = void (*)();

// Leaves ts.current for `target`. A target that has never run gets its slice just below the
// caller and starts by calling `launch`, which must never return. Returns true when control comes
// back to the caller's context, or false at once, with nothing changed, if a heap copy could not
// be allocated.
bool switch_to(thread_state& ts, context* target, launch_fn launch) noexcept;

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
