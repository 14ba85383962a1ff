// SPDX-License-Identifier: MIT
// Where jmpco's memory comes from: coroutine objects and the heap copies of suspended stacks.
#ifndef JMPCO_ALLOCATOR_HPP
#define JMPCO_ALLOCATOR_HPP

#include <cstddef>

#include "jmpco/config.hpp"

namespace jmpco {

// A process-wide allocator. `allocate` returns nullptr when it cannot serve the request (jmpco
// then reports errc::out_of_memory and changes nothing); `deallocate` gets the size that was asked
// for. Blocks are aligned for any standard type. Both may be called from several threads at once.
struct allocator {
  void* (*allocate)(std::size_t size, void* user) = nullptr;
  void (*deallocate)(void* block, std::size_t size, void* user) = nullptr;
  void* user = nullptr;
};

// Install it before the first coroutine runs. A coroutine object's blocks (a coroutine's,
// generator's or task's, its stack copy, and what a task waits with: channel waits, selects,
// wait_any) go back to the allocator installed when they are freed, so replace it later only
// while none exists; each thread that has run a coroutine also keeps one small buffer (for its own
// stack bytes) until it exits, freed by the allocator installed then. The blocks that outlive
// them remember the allocator that gave them and go back to it: a channel's buffer, a
// scheduler's cache of finished tasks' memory, its wait object and its fd table. Passing an
// allocator with null functions restores the default (std::malloc/std::free).
JMPCO_API void set_allocator(const allocator& a) noexcept;
JMPCO_API allocator get_allocator() noexcept;

namespace detail {
JMPCO_API void* allocate(std::size_t size) noexcept;
JMPCO_API void deallocate(void* block, std::size_t size) noexcept;

// For a block that may outlive every coroutine: taken from `from` (the allocator installed when
// it was made) and given back to it, whatever is installed by then.
inline void* allocate_from(const allocator& from, std::size_t size) noexcept {
  return from.allocate(size, from.user);
}
inline void deallocate_to(const allocator& from, void* block, std::size_t size) noexcept {
  from.deallocate(block, size, from.user);
}
inline bool same_allocator(const allocator& a, const allocator& b) noexcept {
  return a.allocate == b.allocate && a.deallocate == b.deallocate && a.user == b.user;
}
}  // namespace detail

}  // namespace jmpco

#endif  // JMPCO_ALLOCATOR_HPP
