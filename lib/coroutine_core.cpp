// Lua's coroutine state machine on top of the stack switch: resume, yield, finish, close.
#include "jmpco/core.hpp"

#include "stack_switch.hpp"
#include "thread_state.hpp"

namespace jmpco {

using detail::context;
using detail::thread_state;
using detail::this_thread_state;

// The coroutine machinery's private steps; a struct so that coroutine_core can befriend it.
struct switch_machinery {
  static context* context_of(thread_state& ts, coroutine_core* co) noexcept {
    return co != nullptr ? &co->ctx_ : &ts.main;
  }

  // The misuse check of a resume, in Lua's order; errc::ok if it may go ahead.
  static errc check_resumable(const coroutine_core& co, thread_state& ts) noexcept {
    if (ts.unsupported != nullptr) return errc::unsupported_platform;
    if (co.owner_ != nullptr && co.owner_ != &ts) return errc::wrong_thread;
    if (co.status_ == status::dead) return errc::dead_coroutine;
    if (co.status_ != status::suspended) return errc::non_suspended;
    if (ts.current->level + 1 > ts.nesting_limit) return errc::c_stack_overflow;
    if (!co.started_ && !stack_left_for_new_coroutine(ts)) return errc::c_stack_overflow;
    return errc::ok;
  }

  static bool stack_left_for_new_coroutine(const thread_state& ts) noexcept {
    if (ts.stack_low == 0) return true;  // unknown bounds: only the nesting limit applies
    const std::uintptr_t here = detail::stack_position();
    return here > ts.stack_low && here - ts.stack_low >= ts.stack_reserve;
  }

  // Hands the thread back to `co`'s resumer: `co` stops running (it yielded or died).
  static context* hand_back(thread_state& ts, coroutine_core* co) noexcept {
    coroutine_core* resumer = co->resumer_;
    if (resumer != nullptr) resumer->status_ = status::running;
    ts.running = resumer;
    return context_of(ts, resumer);
  }

  // Where a new coroutine starts, on its own slice; never returns. Its frame stays on the
  // coroutine's stack for its whole life and is copied on every switch: the handlers' work is
  // done out of line to keep it small.
  static void launch() noexcept {
    coroutine_core* self = this_thread_state().running;
#if JMPCO_EXCEPTIONS
    try {
      self->run();
    } catch (const forced_unwind&) {
      // Closed while suspended: its stack is unwound, it dies without error.
    } catch (const coroutine_error& raised) {
      die_raising(self, raised);
    } catch (...) {
      die_throwing(self);
    }
#else
    self->run();
#endif
    finish(self);
  }

#if JMPCO_EXCEPTIONS
  // An error value raised as an exception: the same death as without exceptions.
  JMPCO_NOINLINE static void die_raising(coroutine_core* self, const coroutine_error& raised) noexcept {
    self->death_ = as_death(raised.error());
  }
  // Called inside a catch (...) handler.
  JMPCO_NOINLINE static void die_throwing(coroutine_core* self) noexcept {
    self->death_ = error(std::current_exception());
  }
#endif

  // An error escaping a body is a death, even one that began as a misuse inside it (a call of a dead
  // wrap): the resumer must not read it as a misuse of its own resume, which changes nothing.
  static error as_death(const error& e) noexcept {
    return e.is_misuse() ? error(static_cast<int>(e.code()), message(e.code())) : e;
  }

  [[noreturn]] static void finish(coroutine_core* self) noexcept {
    thread_state& ts = this_thread_state();
    self->status_ = status::dead;
    self->closing_ = false;
    context* resumer = hand_back(ts, self);
    detail::switch_from_dying(ts, resumer);
  }

  // After control returns to a resumer: a coroutine whose handle is gone is closed and freed now.
  static void settle_released(coroutine_core* co) noexcept {
    if (!co->released_ || co->pinned_) return;
    co->released_ = false;  // this call ends the object; the close below must not end it again
    if (co->status_ == status::suspended) close_for_release(co);
    co->destroy();
  }

  static void close_for_release(coroutine_core* co) noexcept {
    thread_state& ts = this_thread_state();
    if (co->owner_ != nullptr && co->owner_ != &ts)
      detail::fail_fatally("a suspended coroutine was destroyed by a thread that does not own it");
    (void)co->close_core();
    // The unwind could not run (nesting limit or thread stack exhausted): drop the stack instead.
    if (co->status_ != status::dead) discard(ts, co);
  }

  // A yield whose stack could not be saved: the coroutine keeps running, its resumer waiting.
  static errc undo_yield(thread_state& ts) noexcept {
    coroutine_core* self = ts.yielding;
    self->status_ = status::running;
    if (self->resumer_ != nullptr) self->resumer_->status_ = status::normal;
    ts.running = self;
    return errc::out_of_memory;
  }

  static void discard(thread_state& ts, coroutine_core* co) noexcept {
    detail::discard_slice(ts, &co->ctx_);
    co->status_ = status::dead;
  }
};

coroutine_core::~coroutine_core() {
  if (status_ == status::running || status_ == status::normal)
    detail::fail_fatally("a coroutine was destroyed while it was running");
  // A layer that destroys a suspended coroutine without release() drops its stack (no unwind).
  if (started_ && status_ == status::suspended) {
    if (owner_ != &this_thread_state())
      detail::fail_fatally("a suspended coroutine was destroyed by a thread that does not own it");
    detail::discard_slice(*owner_, &ctx_);
  }
  detail::free_copy(&ctx_);
}

coroutine_core* coroutine_core::running() noexcept { return this_thread_state().running; }

bool coroutine_core::is_yieldable() noexcept {
  const coroutine_core* co = running();
  return co != nullptr && !co->closing_;
}

unsigned coroutine_core::level() noexcept { return this_thread_state().current->level; }

errc coroutine_core::enter_level() noexcept {
  thread_state& ts = this_thread_state();
  if (ts.current->level + 1 > ts.nesting_limit) return errc::c_stack_overflow;
  ++ts.current->level;
  return errc::ok;
}

void coroutine_core::leave_level() noexcept {
  thread_state& ts = this_thread_state();
  if (ts.current->level > 0) --ts.current->level;
}

unsigned coroutine_core::nesting_limit() noexcept { return this_thread_state().nesting_limit; }

void coroutine_core::set_nesting_limit(unsigned limit) noexcept {
  this_thread_state().nesting_limit = limit;
}

std::size_t coroutine_core::stack_reserve() noexcept { return this_thread_state().stack_reserve; }

void coroutine_core::set_stack_reserve(std::size_t bytes) noexcept {
  this_thread_state().stack_reserve = bytes;
}

// Both switches are made right in resume_core and yield_core, not in a helper: every frame that
// control returns through after a jump costs a mispredicted return. The compiler keeps each value
// that lives across the save in the saving frame, which every switch copies, so only the object
// itself does; the thread state is read again.
JMPCO_NOINLINE errc coroutine_core::resume_core() noexcept {
  thread_state& ts = this_thread_state();
  if (errc refused = switch_machinery::check_resumable(*this, ts); refused != errc::ok)
    return refused;
  coroutine_core* resumer = ts.running;
  owner_ = &ts;
  resumer_ = resumer;
  ctx_.level = ts.current->level + 1;
  if (resumer != nullptr) resumer->status_ = status::normal;
  status_ = status::running;
  ts.running = this;
  started_ = true;
  detail::prepare_switch(ts, &ctx_, &switch_machinery::launch);
  if (JMPCO_SAVE_CONTEXT(ts.current->env) == 0) {
    if (!detail::complete_switch()) {
      // Not enough memory to save the bytes the coroutine would overwrite: nothing has changed.
      // (A new coroutine never needs a copy to start, so this one had started.)
      status_ = status::suspended;
      switch_machinery::hand_back(this_thread_state(), this);
      return errc::out_of_memory;
    }
  }
  // Back from the coroutine: it yielded, returned or raised.
  const errc outcome = status_ == status::dead ? death_.code() : errc::ok;
  switch_machinery::settle_released(this);  // may free *this
  return outcome;
}

JMPCO_NOINLINE errc coroutine_core::yield_core() {
  thread_state& ts = this_thread_state();
  coroutine_core* self = ts.running;
  if (self == nullptr) return errc::yield_outside;
  if (self->closing_) return errc::yield_while_closing;  // like Lua's yield inside a __close
  self->status_ = status::suspended;
  ts.yielding = self;  // so that not even `self` lives across the save
  detail::prepare_switch(ts, switch_machinery::hand_back(ts, self), nullptr);
  if (JMPCO_SAVE_CONTEXT(ts.current->env) == 0) {
    if (!detail::complete_switch()) return switch_machinery::undo_yield(this_thread_state());
  }
  // Resumed: resume_core() has set every status and made this coroutine the running one.
#if JMPCO_EXCEPTIONS
  if (this_thread_state().running->closing_) throw forced_unwind{};
#endif
  return errc::ok;
}

error coroutine_core::close_core() noexcept {
  thread_state& ts = this_thread_state();
  if (owner_ != nullptr && owner_ != &ts) return error(errc::wrong_thread);
  switch (status_) {
    case status::running: return error(errc::close_running);
    case status::normal: return error(errc::close_normal);
    case status::dead: break;
    case status::suspended:
      if (!started_) {
        status_ = status::dead;
        return error();
      }
#if JMPCO_EXCEPTIONS
      closing_ = true;
      if (errc refused = resume_core(); error(refused).is_misuse()) {
        closing_ = false;  // it could not be entered; it stays suspended and intact
        return error(refused);
      }
#else
      switch_machinery::discard(ts, this);
#endif
      break;
  }
  error died_with = death_;
  death_ = error();  // handed out once, as Lua's close does
  return died_with;
}

void coroutine_core::die_with(const error& e) noexcept {
  coroutine_core* self = running();
  if (self == nullptr) detail::fail_fatally(e.what());
  self->death_ = switch_machinery::as_death(e);
  switch_machinery::finish(self);
}

void coroutine_core::settle_unpinned() noexcept {
  if (status_ != status::running && status_ != status::normal) switch_machinery::settle_released(this);
}

void coroutine_core::release() noexcept {
  released_ = true;
  if (status_ == status::running || status_ == status::normal) return;  // settled by its resumer
  switch_machinery::settle_released(this);
}

}  // namespace jmpco
