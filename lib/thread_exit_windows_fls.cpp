// SPDX-License-Identifier: MIT
// The thread exit hook on Windows: a fiber-local storage (FLS) slot whose callback gets the state.
//
// Not a thread_local destructor: MinGW's GCC emulates thread_local storage (emutls) and frees it
// from a winpthreads key destructor, and libstdc++ runs thread_local destructors from another
// one; the emutls key usually comes first, so such a destructor would find the state gone. The
// FLS callbacks run earlier than both, before the DLL_THREAD_DETACH notifications that drive
// them (on Windows and in Wine), with the state pointer as their argument.
// FLS belongs to a fiber: DeleteFiber runs the callbacks of the deleted fiber's slots. The state
// is created on the fiber that first uses jmpco, which is the thread's own one unless a thread
// starts using jmpco on a fiber that it later deletes (then the state counts as exited from then
// on, and handles released later still free their coroutines, as after a thread's exit).
#include "thread_state.hpp"

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <new>

#include "jmpco/error.hpp"

namespace jmpco::detail {

namespace {

// Runs after the thread's thread_local destructors (winpthreads runs those, and frees the emulated
// thread_local storage, when the thread function returns), so nothing of the thread's own code
// needs the state any more: it is freed here (it was allocated by create_this_thread_state()).
void WINAPI exit_callback(void* state) {
  if (state == nullptr) return;
  auto* ts = static_cast<thread_state*>(state);
  thread_exiting(*ts);
  ts->~thread_state();
  ::operator delete(state);
}

DWORD exit_slot() noexcept {
  static const DWORD slot = FlsAlloc(&exit_callback);  // one for the process
  return slot;
}

}  // namespace

void call_at_thread_exit(thread_state& ts) noexcept {
  const DWORD slot = exit_slot();
  if (slot == FLS_OUT_OF_INDEXES || !FlsSetValue(slot, &ts))
    fail_fatally("no fiber-local storage slot for the thread exit hook");
}

}  // namespace jmpco::detail
#endif
