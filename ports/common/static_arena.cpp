// SPDX-License-Identifier: MIT
#include "static_arena.hpp"

namespace jmpco_port {
namespace {

// Every block is a multiple of this, so every free block can hold its own list node.
constexpr std::size_t grain(std::size_t alignment, std::size_t node) noexcept {
  std::size_t g = alignment;
  while (g < node) g *= 2;
  return g;
}

}  // namespace

std::size_t static_arena::rounded(std::size_t size) noexcept {
  constexpr std::size_t g = grain(alignment, sizeof(free_block));
  if (size == 0) size = 1;
  return (size + g - 1) / g * g;
}

static_arena::static_arena(void* buffer, std::size_t size) noexcept
    : free_list_(nullptr),
      capacity_(size / grain(alignment, sizeof(free_block)) *
                grain(alignment, sizeof(free_block))) {
  if (capacity_ == 0) return;
  free_list_ = static_cast<free_block*>(buffer);
  free_list_->size = capacity_;
  free_list_->next = nullptr;
}

void* static_arena::allocate(std::size_t size) noexcept {
  const std::size_t wanted = rounded(size);
  for (free_block** link = &free_list_; *link != nullptr; link = &(*link)->next) {
    free_block* block = *link;
    if (block->size < wanted) continue;
    if (block->size == wanted) {
      *link = block->next;
    } else {  // keep the upper part free
      auto* rest = reinterpret_cast<free_block*>(reinterpret_cast<unsigned char*>(block) + wanted);
      rest->size = block->size - wanted;
      rest->next = block->next;
      *link = rest;
    }
    return block;
  }
  return nullptr;
}

void static_arena::deallocate(void* block, std::size_t size) noexcept {
  if (block == nullptr) return;
  auto* freed = static_cast<free_block*>(block);
  freed->size = rounded(size);
  free_block* previous = nullptr;
  free_block* next = free_list_;
  while (next != nullptr && next < freed) {
    previous = next;
    next = next->next;
  }
  freed->next = next;
  (previous != nullptr ? previous->next : free_list_) = freed;
  merge_with_next(freed);
  if (previous != nullptr) merge_with_next(previous);
}

void static_arena::merge_with_next(free_block* block) noexcept {
  free_block* next = block->next;
  if (next != nullptr && reinterpret_cast<unsigned char*>(block) + block->size ==
                             reinterpret_cast<unsigned char*>(next)) {
    block->size += next->size;
    block->next = next->next;
  }
}

std::size_t static_arena::free_bytes() const noexcept {
  std::size_t total = 0;
  for (const free_block* block = free_list_; block != nullptr; block = block->next)
    total += block->size;
  return total;
}

jmpco::allocator static_arena::hooks() noexcept {
  return {
      [](std::size_t size, void* self) { return static_cast<static_arena*>(self)->allocate(size); },
      [](void* block, std::size_t size, void* self) {
        static_cast<static_arena*>(self)->deallocate(block, size);
      },
      this};
}

}  // namespace jmpco_port
