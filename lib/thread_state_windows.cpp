// SPDX-License-Identifier: MIT
// The thread's state on Windows: reached through a system TLS slot, and ended by a fiber-local
// storage (FLS) callback at the thread's exit.
//
// Not thread_local: MinGW's GCC emulates thread_local storage (emutls) and winpthreads frees it
// when the thread function returns, before the thread's exit notifications. A deferred unwind run
// at the exit resumes frames that may have cached the emulated variable's old address; a TLS
// slot's value stays until the thread is gone, and TlsGetValue is a plain call each time.
// Not a thread_local destructor for the exit either: its order against the emulated storage's
// release is not fixed. The FLS callbacks run after winpthreads' cleanup and before the
// DLL_THREAD_DETACH notifications (on Windows and in Wine), with the state as their argument;
// a TLS callback after the C runtime's frees the state at the very end.
// FLS belongs to a fiber: DeleteFiber runs the callbacks of the deleted fiber's slots. The state
// is registered on the fiber that first uses jmpco, which is the thread's own one unless a thread
// starts using jmpco on a fiber that it later deletes (its state then counts as exited).
#include "thread_state.hpp"

#if defined(_WIN32) && JMPCO_THREADS
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <new>

#include "jmpco/error.hpp"

namespace jmpco::detail {

namespace {

// The FLS callback: the thread's exit has begun. Its thread_local handles may still go (MinGW's
// CRT destroys thread_local objects from a TLS callback, later), so the state stays until
// free_exited_state below.
void WINAPI exit_callback(void* state) {
  if (state == nullptr) return;
  thread_exiting(*static_cast<thread_state*>(state));
}

struct slots {
  DWORD state = TlsAlloc();
  DWORD exit = FlsAlloc(&exit_callback);
};

const slots& process_slots() noexcept {
  static const slots allocated;  // one pair for the process
  if (allocated.state == TLS_OUT_OF_INDEXES || allocated.exit == FLS_OUT_OF_INDEXES)
    fail_fatally("no TLS or FLS slot left for jmpco's thread state");
  return allocated;
}

}  // namespace

thread_state* this_thread_state_if_any() noexcept {
  return static_cast<thread_state*>(TlsGetValue(process_slots().state));
}

void set_this_thread_state(thread_state* ts) noexcept { TlsSetValue(process_slots().state, ts); }

void call_at_thread_exit(thread_state& ts) noexcept {
  if (!FlsSetValue(process_slots().exit, &ts))
    fail_fatally("the thread exit hook could not be registered");
}

namespace {

// The last of the thread's exit notifications that the program sees: a TLS callback placed after
// the C runtime's (the linker orders them by section name, .CRT$XLA to .CRT$XLZ). The thread's
// thread_local objects are gone by then, so its state (create_this_thread_state() allocated it)
// can be freed.
void WINAPI free_exited_state(void*, DWORD reason, void*) {
  if (reason != DLL_THREAD_DETACH) return;
  thread_state* ts = this_thread_state_if_any();
  if (ts == nullptr) return;
  if (!ts->exited)
    exit_callback(ts);  // a thread whose FLS callback did not run (a deleted fiber's)
  set_this_thread_state(nullptr);
  ts->~thread_state();
  ::operator delete(static_cast<void*>(ts));
}

}  // namespace

#if defined(__GNUC__)
extern "C" {
__attribute__((section(".CRT$XLY"), used)) PIMAGE_TLS_CALLBACK jmpco_free_exited_thread_state =
    &free_exited_state;
}
#else
#pragma section(".CRT$XLY", long, read)
extern "C" __declspec(allocate(".CRT$XLY"))
    PIMAGE_TLS_CALLBACK jmpco_free_exited_thread_state = &free_exited_state;
#endif

}  // namespace jmpco::detail
#endif
