// SPDX-License-Identifier: MIT
// Thread stack bounds on glibc, musl, Bionic and the BSDs that share glibc's extension
// pthread_getattr_np (FreeBSD spells it pthread_attr_get_np). For the main thread glibc derives
// the size from RLIMIT_STACK, which is what the kernel will let the stack grow to; other Linux C
// libraries (musl) report only the part mapped so far, so there the main thread's bounds come from
// stack_bounds_linux_main_thread.cpp.
#include "stack_bounds_linux_main_thread.hpp"
#include "thread_state.hpp"

#if defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
#include <pthread.h>
#if defined(__FreeBSD__) || defined(__OpenBSD__)
#include <pthread_np.h>
#endif

namespace jmpco::detail {

stack_bounds thread_stack_bounds() noexcept {
#if defined(__linux__) && !defined(__GLIBC__)
  if (is_linux_main_thread()) return linux_main_thread_stack_bounds();
#endif
  pthread_attr_t attr;
#if defined(__FreeBSD__) || defined(__OpenBSD__)
  if (pthread_attr_init(&attr) != 0) return {0, 0};
  if (pthread_attr_get_np(pthread_self(), &attr) != 0) {
    pthread_attr_destroy(&attr);
    return {0, 0};
  }
#else
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return {0, 0};
#endif
  void* low = nullptr;
  std::size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0) return {0, 0};
  // The guard page(s) at the bottom are part of the reported range; keep a page clear of them.
  const auto base = reinterpret_cast<std::uintptr_t>(low);
  return {base + 4096, base + size};
}

}  // namespace jmpco::detail
#endif
