// SPDX-License-Identifier: MIT
// The thread exit hook where thread_local storage is the system's own (ELF TLS, Mach-O TLV): the
// destructor of a thread_local object, which runs while the thread's other thread_local storage,
// the state's included, is still there. Without threads (JMPCO_THREADS=0, any OS) the one thread's
// exit is the program's: a static object's destructor.
#include "thread_state.hpp"

#if !defined(_WIN32) || !JMPCO_THREADS
namespace jmpco::detail {

namespace {

struct thread_exit {
  thread_exit() noexcept = default;
  thread_exit(const thread_exit&) = delete;
  thread_exit& operator=(const thread_exit&) = delete;
  ~thread_exit() { thread_exiting(*this_thread_state_if_any()); }
};

}  // namespace

void call_at_thread_exit(thread_state&) noexcept {
#if JMPCO_THREADS
  static thread_local thread_exit at_exit;
#else
  static thread_exit at_exit;
#endif
  static_cast<void>(at_exit);
}

}  // namespace jmpco::detail
#endif
