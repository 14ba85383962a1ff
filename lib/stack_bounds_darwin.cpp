// SPDX-License-Identifier: MIT
// Thread stack bounds on macOS and iOS: pthread_get_stackaddr_np gives the top.
#include "thread_state.hpp"

#if defined(__APPLE__)
#include <pthread.h>

namespace jmpco::detail {

stack_bounds thread_stack_bounds() noexcept {
  pthread_t self = pthread_self();
  auto top = reinterpret_cast<std::uintptr_t>(pthread_get_stackaddr_np(self));
  std::size_t size = pthread_get_stacksize_np(self);
  return {top - size + 16384, top};  // stay clear of the guard page(s)
}

}  // namespace jmpco::detail
#endif
