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

// Install it before the first coroutine runs. Blocks go back to the allocator installed when they
// are freed, so replace it later only while no coroutine object exists; each thread that has run a
// coroutine also keeps one small buffer (for its own stack bytes) until it exits. Passing an
// allocator with null functions restores the default (std::malloc/std::free).
JMPCO_API void set_allocator(const allocator& a) noexcept;
JMPCO_API allocator get_allocator() noexcept;

namespace detail {
JMPCO_API void* allocate(std::size_t size) noexcept;
JMPCO_API void deallocate(void* block, std::size_t size) noexcept;
}  // namespace detail

}  // namespace jmpco

#endif  // JMPCO_ALLOCATOR_HPP
