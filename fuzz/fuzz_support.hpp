// SPDX-License-Identifier: MIT
// Shared by the fuzz targets: sanitizer defaults and a worker thread with a large stack.
#ifndef JMPCO_FUZZ_SUPPORT_HPP
#define JMPCO_FUZZ_SUPPORT_HPP

#include <pthread.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

// jmpco copies live stack frames: ASan's "fake stack" (detect_stack_use_after_return) moves
// locals off the stack, so it must stay off (the fuzz build also compiles with
// -fsanitize-address-use-after-return=never where the compiler knows the flag). Leaks are
// checked; every ASan or UBSan report aborts.
#define JMPCO_FUZZ_SANITIZER_DEFAULTS                                         \
  extern "C" const char* __asan_default_options() {                           \
    return "detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1:" \
           "handle_abort=1";                                                  \
  }                                                                           \
  extern "C" const char* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }

namespace jmpco_fuzz {

// One long-lived thread with a large stack that runs the inputs one at a time. Starting a thread
// per input costs more than most inputs (ASan clears the shadow of the whole stack at every
// thread start), so the worker stays; each input must leave the library's per-thread state as
// it found it, which the targets check.
class big_stack_worker {
 public:
  explicit big_stack_worker(std::size_t stack_bytes) {
    pthread_mutex_init(&mutex_, nullptr);
    pthread_cond_init(&cond_, nullptr);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (pthread_attr_setstacksize(&attr, stack_bytes) != 0 || pthread_create(&thread_, &attr, &loop, this) != 0) {
      std::fprintf(stderr, "fuzz: cannot start a worker thread with a %zu-byte stack\n", stack_bytes);
      std::abort();
    }
    pthread_attr_destroy(&attr);
    pthread_detach(thread_);
  }

  // Runs fn(arg) on the worker and waits for it to finish.
  void run(void* (*fn)(void*), void* arg) {
    pthread_mutex_lock(&mutex_);
    fn_ = fn;
    arg_ = arg;
    ++requested_;
    pthread_cond_broadcast(&cond_);
    while (done_ != requested_) pthread_cond_wait(&cond_, &mutex_);
    pthread_mutex_unlock(&mutex_);
  }

 private:
  static void* loop(void* self_ptr) {
    auto* self = static_cast<big_stack_worker*>(self_ptr);
    pthread_mutex_lock(&self->mutex_);
    for (;;) {
      while (self->done_ == self->requested_) pthread_cond_wait(&self->cond_, &self->mutex_);
      void* (*fn)(void*) = self->fn_;
      void* arg = self->arg_;
      pthread_mutex_unlock(&self->mutex_);
      fn(arg);
      pthread_mutex_lock(&self->mutex_);
      ++self->done_;
      pthread_cond_broadcast(&self->cond_);
    }
  }

  pthread_t thread_{};
  pthread_mutex_t mutex_;
  pthread_cond_t cond_;
  void* (*fn_)(void*) = nullptr;
  void* arg_ = nullptr;
  unsigned long requested_ = 0;
  unsigned long done_ = 0;
};

// Whether this binary's model is wrong on purpose (a *_planted twin: fuzz/README.md, "Checking
// the checks"). Defined in planted_divergence.cpp, the one source the twins do not share.
extern const bool kPlantedDivergence;

}  // namespace jmpco_fuzz

#endif  // JMPCO_FUZZ_SUPPORT_HPP
