// SPDX-License-Identifier: MIT
// A Lua coroutine: a jmpco coroutine whose body calls a Lua function. Values cross the switch
// through `transfer`, which lives in this heap object: while a coroutine runs, the resumer's
// frames that overlap its stack slice are copied away, so pointers into them would not do.
#ifndef JMPCO_REPLAY_COROUTINE_HPP
#define JMPCO_REPLAY_COROUTINE_HPP

#include "interp.hpp"
#include "jmpco/core.hpp"

namespace replay {

class Coroutine final : public ThreadObj, public jmpco::coroutine_core {
 public:
  Coroutine(Interp& in, Value body);

  Coroutine* as_coroutine() noexcept override { return this; }

  // Enters the coroutine until it yields or finishes (jmpco's resume_core).
  jmpco::errc enter() noexcept { return resume_core(); }
  // Unwinds a suspended coroutine (jmpco's close_core).
  jmpco::error unwind() noexcept { return close_core(); }
  // Leaves the running coroutine for its resumer; throws jmpco::forced_unwind when
  // coroutine.close resumes it to unwind its stack.
  static jmpco::errc leave() {
    const jmpco::errc e = yield_core();
    if (e == jmpco::errc::closing) unwind_for_close();
    return e;
  }
  // The last reference is gone (jmpco's release: frees now, or once it stops running).
  void let_go() noexcept { release(); }
  // Lua 5.4.4's quirk while coroutine.close runs this coroutine's __close handlers (see
  // stale_handler): an error raised outside the protected calls the handlers made meets the
  // handler in force at the yield instead. Throws the error as that makes it; returns when the
  // quirk does not apply (`prot`, the innermost protected call, decides as usual).
  void raise_while_closing(Value& v, const ProtFrame* prot);

  Interp& interp;
  Value body;
  Values transfer;       // arguments in, results out, both ways
  bool errored = false;  // died by error; `error_value` holds it until close hands it out
  Value error_value;
  bool closing = false;     // coroutine.close is unwinding it: __close handlers run
  bool discarding = false;  // unreachable: unwound without running __close handlers
  Value close_error;        // the error the handlers of a close raised so far
  bool close_failed = false;
  // Lua 5.4.4 keeps the message handler of the innermost xpcall a coroutine was suspended in
  // while coroutine.close runs its __close handlers, though that xpcall is gone. Variables
  // inside it still reach the handler. For a variable of the very function that called the
  // xpcall, the handler's stack slot has been overwritten by then and an error ends as "error in
  // error handling"; for one in a function further out, the slot survives and the handler runs
  // (as measured with lua5.4).
  Value stale_handler;          // during a close: the handler still in force, or nil
  int closing_frame_depth = 0;  // Lua call depth of the frame whose variables are closing
  // What the last yield happened inside, recorded by the yield itself: once the coroutine is
  // suspended, its ProtFrames are in its saved stack, not readable from outside.
  Value yield_handler;
  int yield_handler_depth = 0;            // Lua call depth that called that xpcall
  const ProtFrame* yield_prot = nullptr;  // compared, never read: it lives on the saved stack
  int pcalls_while_closing = 0;           // pcalls that __close handlers started during the close

 protected:
  void run() override;
  void destroy() noexcept override;
  void dispose() noexcept override;
  void drop_references() noexcept override;
  void visit_references(RefVisitor& v) const override;
  bool holds_stack() const noexcept override {
    return started() && status() == jmpco::status::suspended;
  }
};

// Resumes `co` with `args`: true and its values, or false and an error value.
bool resume_coroutine(Interp& in, Coroutine* co, Values args, Values& out);
// Closes the to-be-closed variables a coroutine left open when it died by error; returns false
// (with `err` updated) when it had died by error.
bool close_dead_coroutine(Interp& in, Coroutine* co, Value& err);

}  // namespace replay

#endif  // JMPCO_REPLAY_COROUTINE_HPP
