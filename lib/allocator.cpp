// SPDX-License-Identifier: MIT
#include "jmpco/allocator.hpp"

#include <cstdlib>

namespace jmpco {
namespace {

void* malloc_allocate(std::size_t size, void*) { return std::malloc(size); }
void free_deallocate(void* block, std::size_t, void*) { std::free(block); }

allocator installed{&malloc_allocate, &free_deallocate, nullptr};

}  // namespace

void set_allocator(const allocator& a) noexcept {
  if (a.allocate == nullptr || a.deallocate == nullptr)
    installed = allocator{&malloc_allocate, &free_deallocate, nullptr};
  else
    installed = a;
}

allocator get_allocator() noexcept { return installed; }

namespace detail {
void* allocate(std::size_t size) noexcept { return installed.allocate(size, installed.user); }
void deallocate(void* block, std::size_t size) noexcept {
  installed.deallocate(block, size, installed.user);
}
}  // namespace detail

}  // namespace jmpco
