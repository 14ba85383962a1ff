// SPDX-License-Identifier: MIT
// jmpco's memory from one fixed buffer, for firmware without a heap (or that keeps jmpco off it):
//   alignas(jmpco_port::static_arena::alignment) static unsigned char buffer[64 * 1024];
//   static jmpco_port::static_arena arena(buffer, sizeof buffer);
//   jmpco::set_allocator(arena.hooks());
// First fit over a free list kept in address order, neighbours merged when a block comes back;
// jmpco tells the size of every block it frees, so blocks carry no header. Not for concurrent use:
// one thread, and no jmpco call from an interrupt handler.
#ifndef JMPCO_PORTS_COMMON_STATIC_ARENA_HPP
#define JMPCO_PORTS_COMMON_STATIC_ARENA_HPP

#include <cstddef>

#include "jmpco/allocator.hpp"

namespace jmpco_port {

class static_arena {
 public:
  static constexpr std::size_t alignment = alignof(std::max_align_t);

  // `buffer` must be aligned to `alignment` and outlive every block served from it.
  static_arena(void* buffer, std::size_t size) noexcept;
  static_arena(const static_arena&) = delete;
  static_arena& operator=(const static_arena&) = delete;

  jmpco::allocator hooks() noexcept;  // for jmpco::set_allocator
  void* allocate(std::size_t size) noexcept;
  void deallocate(void* block, std::size_t size) noexcept;
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t free_bytes() const noexcept;

 private:
  struct free_block {
    std::size_t size;
    free_block* next;
  };
  static std::size_t rounded(std::size_t size) noexcept;
  void merge_with_next(free_block* block) noexcept;

  free_block* free_list_;
  std::size_t capacity_;
};

}  // namespace jmpco_port

#endif  // JMPCO_PORTS_COMMON_STATIC_ARENA_HPP
