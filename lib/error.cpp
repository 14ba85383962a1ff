// SPDX-License-Identifier: MIT
#include "jmpco/error.hpp"

#include "jmpco/core.hpp"

#include <cstdio>
#include <cstdlib>

namespace jmpco {
namespace {

void print_and_abort(const char* text) {
  std::fprintf(stderr, "jmpco: %s\n", text);
  std::fflush(stderr);
  std::abort();
}

fatal_handler installed_fatal_handler = &print_and_abort;

}  // namespace

const char* to_string(status s) noexcept {
  switch (s) {
    case status::suspended:
      return "suspended";
    case status::running:
      return "running";
    case status::normal:
      return "normal";
    case status::dead:
      return "dead";
  }
  return "invalid status";
}

const char* message(errc code) noexcept {
  switch (code) {
    case errc::ok:
      return "ok";
    case errc::dead_coroutine:
      return "cannot resume dead coroutine";
    case errc::non_suspended:
      return "cannot resume non-suspended coroutine";
    case errc::yield_outside:
      return "attempt to yield from outside a coroutine";
    case errc::c_stack_overflow:
      return "C stack overflow";
    case errc::close_running:
      return "cannot close a running coroutine";
    case errc::close_normal:
      return "cannot close a normal coroutine";
    case errc::wrong_thread:
      return "cannot use a coroutine owned by another thread";
    case errc::out_of_memory:
      return "not enough memory";
    case errc::type_mismatch:
      return "coroutine value types do not match its signature";
    case errc::unsupported_platform:
      return "copied-stack coroutines cannot run on this platform";
    case errc::empty_handle:
      return "coroutine handle is empty";
    case errc::yield_while_closing:
      return "attempt to yield across a C-call boundary";
    case errc::closing:
      return "coroutine closed while suspended";
    case errc::foreign_stack:
      return "cannot switch coroutines on a stack that is not the thread's own";
    case errc::exception:
      return "coroutine raised an exception";
    case errc::raised:
      return "coroutine raised an error";
    case errc::killed:
      return "task killed";
    case errc::join_self:
      return "a task cannot join itself";
    case errc::outside_task:
      return "not inside a task";
    case errc::channel_closed:
      return "channel closed";
    case errc::deadlock:
      return "all tasks are asleep - deadlock!";
    case errc::would_block:
      return "operation would block";
    case errc::timed_out:
      return "timed out";
    case errc::bad_fd:
      return "bad file descriptor";
    case errc::fd_closed:
      return "file descriptor closed while waited for";
    case errc::mixed_schedulers:
      return "cannot wait for tasks of different schedulers";
    case errc::scheduler_running:
      return "cannot run a scheduler that is already running";
    case errc::inside_value_move:
      return "cannot wait or use a channel inside a channel value's move or destructor";
  }
  return "unknown jmpco error";
}

const char* error::what() const noexcept {
  if (text_ != nullptr) return text_;
#if JMPCO_EXCEPTIONS
  if (exception_) {
    try {
      std::rethrow_exception(exception_);
    } catch (const std::exception& e) {
      return e.what();  // lives as long as exception_ holds the exception object
    } catch (...) {
    }
  }
#endif
  return message(code_);
}

#if JMPCO_EXCEPTIONS
void error::rethrow() const {
  if (exception_) std::rethrow_exception(exception_);
  // A yield's errc::closing, raised in the coroutine that close() unwinds: the forced unwind.
  if (code_ == errc::closing && coroutine_core::running() != nullptr &&
      !coroutine_core::is_yieldable())
    coroutine_core::unwind_for_close();
  throw coroutine_error(*this);
}
#endif

fatal_handler set_fatal_handler(fatal_handler handler) noexcept {
  fatal_handler old = installed_fatal_handler;
  installed_fatal_handler = handler != nullptr ? handler : &print_and_abort;
  return old;
}

namespace detail {

void fail_fatally(const char* text) noexcept {
  installed_fatal_handler(text);
  std::abort();  // a handler that returns is not allowed to continue the program
}

void raise_unchecked(const error& e) {
#if JMPCO_EXCEPTIONS
  e.rethrow();
#else
  fail_fatally(e.what());
#endif
}

}  // namespace detail
}  // namespace jmpco
