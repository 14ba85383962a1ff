// SPDX-License-Identifier: MIT
// The thread exit hook where thread_local storage is the system's own (ELF TLS, Mach-O TLV): the
// destructor of a thread_local object, which runs while the thread's other thread_local storage,
// the state's included, is still there.
#include "thread_state.hpp"

#if !defined(_WIN32)
namespace jmpco::detail {

namespace {

struct thread_exit {
  thread_exit() noexcept = default;
  thread_exit(const thread_exit&) = delete;
  thread_exit& operator=(const thread_exit&) = delete;
  ~thread_exit() { thread_exiting(*this_thread_state_pointer); }
};

}  // namespace

void call_at_thread_exit(thread_state&) noexcept {
  static thread_local thread_exit at_exit;
  static_cast<void>(at_exit);
}

}  // namespace jmpco::detail
#endif
