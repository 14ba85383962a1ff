// SPDX-License-Identifier: MIT
// Statuses, error codes and the result type that every resume, yield and close returns.
#ifndef JMPCO_ERROR_HPP
#define JMPCO_ERROR_HPP

#include <optional>
#include <type_traits>
#include <utility>

#include "jmpco/config.hpp"

#if JMPCO_EXCEPTIONS
#include <exception>
#endif

namespace jmpco {

// Lua's four coroutine states.
enum class status : unsigned char {
  suspended,  // created and not yet started, or yielded
  running,    // the coroutine that is executing now
  normal,     // it resumed another coroutine that has not yet yielded back
  dead,       // returned, raised an error, or was closed
};

JMPCO_API const char* to_string(status s) noexcept;  // "suspended", "running", "normal", "dead"

enum class errc : unsigned char {
  ok = 0,
  // Misuse: the operation did nothing.
  dead_coroutine,        // cannot resume dead coroutine
  non_suspended,         // cannot resume non-suspended coroutine
  yield_outside,         // attempt to yield from outside a coroutine
  c_stack_overflow,      // C stack overflow (nesting limit, or too little thread stack left)
  close_running,         // cannot close a running coroutine
  close_normal,          // cannot close a normal coroutine
  wrong_thread,          // cannot resume a coroutine owned by another thread
  out_of_memory,         // not enough memory
  type_mismatch,         // yield or resume with types the coroutine was not created with
  unsupported_platform,  // this target cannot run copied-stack coroutines (see README)
  empty_handle,          // the handle holds no coroutine (moved from, or creation failed)
  yield_while_closing,   // attempt to yield across a C-call boundary (while close() unwinds it)
  closing,               // try_yield: the coroutine was closed while suspended; unwind and return
  foreign_stack,         // a switch from a stack that is not the thread's own (a signal stack)
  // The coroutine died with an error.
  exception,  // the body threw; error::exception() holds it
  raised,     // the body called jmpco::raise() with an error value
  // The scheduler and channels (scheduler.hpp).
  killed,          // task killed
  join_self,       // a task cannot join itself
  outside_task,    // not inside a task (a blocking operation on a thread's main context)
  channel_closed,  // channel closed
  deadlock,        // all tasks are asleep - deadlock!
  would_block,     // operation would block
  // The scheduler's waits for file descriptors (scheduler.hpp).
  timed_out,  // the wait timed out
  bad_fd,     // bad file descriptor (not open, or not one that can be waited for)
  fd_closed,  // file descriptor closed while waited for
  // wait_any (scheduler.hpp).
  mixed_schedulers,  // cannot wait for tasks of different schedulers
  // run() and run_once() (scheduler.hpp).
  scheduler_running,  // the scheduler is already running (called from one of its tasks)
  // A channel value's move constructor or destructor (scheduler.hpp).
  inside_value_move,  // cannot wait or use a channel while a channel moves or destroys a value
};

// The exact text Lua 5.4 uses where Lua has the same error, else jmpco's own.
JMPCO_API const char* message(errc code) noexcept;

// An error coming back from the library or from a coroutine body.
class JMPCO_API error {
 public:
  error() noexcept = default;
  explicit error(errc code) noexcept : code_(code) {}
  // An error value raised by a body (works with and without exceptions). `text` must outlive
  // every copy of the error, e.g. a string literal.
  error(int user_code, const char* text) noexcept
      : code_(errc::raised), user_code_(user_code), text_(text) {}
#if JMPCO_EXCEPTIONS
  explicit error(std::exception_ptr e) noexcept
      : code_(errc::exception), exception_(std::move(e)) {}
  const std::exception_ptr& exception() const noexcept { return exception_; }
  // Throws what the body threw, or a jmpco::coroutine_error carrying this error.
  [[noreturn]] void rethrow() const;
#endif

  errc code() const noexcept { return code_; }
  int user_code() const noexcept { return user_code_; }
  // Human-readable text: the raised text, the exception's what() if it is a std::exception, or
  // message(code()).
  const char* what() const noexcept;
  bool is_misuse() const noexcept {
    return code_ != errc::ok && code_ != errc::exception && code_ != errc::raised;
  }
  explicit operator bool() const noexcept { return code_ != errc::ok; }

 private:
  errc code_ = errc::ok;
  int user_code_ = 0;
  const char* text_ = nullptr;
#if JMPCO_EXCEPTIONS
  std::exception_ptr exception_;
#endif
};

#if JMPCO_EXCEPTIONS
// What error::rethrow() throws for errors that are not a body's own exception.
class JMPCO_API coroutine_error : public std::exception {
 public:
  explicit coroutine_error(jmpco::error e) noexcept : error_(std::move(e)) {}
  const char* what() const noexcept override { return error_.what(); }
  const jmpco::error& error() const noexcept { return error_; }

 private:
  jmpco::error error_;
};
#endif

namespace detail {
// Reports a failure that cannot be returned (e.g. value() of a failed result with exceptions
// off) through the fatal handler, which prints `jmpco: <text>` and aborts by default.
[[noreturn]] JMPCO_API void fail_fatally(const char* text) noexcept;
// Throws (exceptions) or fails fatally (no exceptions).
[[noreturn]] JMPCO_API void raise_unchecked(const error& e);
}  // namespace detail

using fatal_handler = void (*)(const char* text);
// Replaces the handler called for unrecoverable misuse; it must not return. Returns the old one.
JMPCO_API fatal_handler set_fatal_handler(fatal_handler handler) noexcept;

// Either a value (or nothing, for result<void>) or an error.
template <class T>
class [[nodiscard]] result {
 public:
  template <class... Args>
  explicit result(std::in_place_t, Args&&... args)
      : value_(std::in_place, std::forward<Args>(args)...) {}
  result(jmpco::error e) noexcept : error_(std::move(e)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return ok(); }
  const jmpco::error& error() const noexcept { return error_; }
  errc code() const noexcept { return error_.code(); }

  // The value; on error, rethrows it (exceptions) or fails fatally (no exceptions).
  T& value() & {
    check();
    return *value_;
  }
  const T& value() const& {
    check();
    return *value_;
  }
  T&& value() && {
    check();
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }

 private:
  void check() const {
    if (error_) detail::raise_unchecked(error_);
  }
  std::optional<T> value_;
  jmpco::error error_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() noexcept = default;
  explicit result(std::in_place_t) noexcept {}
  result(jmpco::error e) noexcept : error_(std::move(e)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return ok(); }
  const jmpco::error& error() const noexcept { return error_; }
  errc code() const noexcept { return error_.code(); }
  void value() const {
    if (error_) detail::raise_unchecked(error_);
  }

 private:
  jmpco::error error_;
};

}  // namespace jmpco

#endif  // JMPCO_ERROR_HPP
