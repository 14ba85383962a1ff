// SPDX-License-Identifier: MIT
// Lua's coroutine state machine on top of the stack switch: resume, yield, finish, close.
#include "jmpco/core.hpp"

#include <utility>

#include "assert.hpp"
#include "stack_switch.hpp"
#include "thread_state.hpp"

namespace jmpco {

using detail::context;
using detail::this_thread_state;
using detail::thread_state;

// The steps of a coroutine's life around each switch (start, hand back, finish, release, deferred
// unwinds): coroutine_core's private machinery, a struct so that coroutine_core can befriend it.
struct coroutine_lifecycle {
  static context* context_of(thread_state& ts, coroutine_core* co) noexcept {
    return co != nullptr ? &co->ctx_ : &ts.main;
  }

  // The misuse check of a resume, in Lua's order; errc::ok if it may go ahead. `here` is the
  // resumer's stack position.
  static errc check_resumable(const coroutine_core& co, thread_state& ts,
                              std::uintptr_t here) noexcept {
    if (ts.unsupported != nullptr) return errc::unsupported_platform;
    if (co.owner_ != 0 && co.owner_ != ts.id) return errc::wrong_thread;
    if (co.status_ == status::dead) return errc::dead_coroutine;
    if (co.status_ != status::suspended) return errc::non_suspended;
    if (!detail::on_thread_stack(ts, here)) return errc::foreign_stack;
    if (ts.current->level + 1 > ts.nesting_limit && ts.unwinding_for_release != &co)
      return errc::c_stack_overflow;
    if (!co.started_ && !stack_left_for_new_coroutine(ts, here)) return errc::c_stack_overflow;
    return errc::ok;
  }

  // The checks of check_resumable for the common resume, in one expression: a suspended,
  // started coroutine of this thread, far from the nesting limit. In the saving frame of a switch
  // every value lives in memory, and no error code has to be stored this way.
  static bool plainly_resumable(const coroutine_core& co, const thread_state& ts,
                                std::uintptr_t here) noexcept {
    return co.owner_ == ts.id && co.status_ == status::suspended &&
           ts.current->level < ts.nesting_limit && detail::on_thread_stack(ts, here) &&
           ts.unsupported == nullptr;
  }

  // Every other resume: the misuse that refuses it, or errc::ok (e.g. a first resume).
  JMPCO_NOINLINE static errc check_resumable_out_of_line(const coroutine_core& co, thread_state& ts,
                                                         std::uintptr_t here) noexcept {
    return check_resumable(co, ts, here);
  }

  static bool stack_left_for_new_coroutine(const thread_state& ts, std::uintptr_t here) noexcept {
    if (ts.stack_low == 0) return true;  // unknown bounds: only the nesting limit applies
    return here > ts.stack_low && here - ts.stack_low >= ts.stack_reserve;
  }

  // Hands the thread back to `co`'s resumer: `co` stops running (it yielded or died).
  static context* hand_back(thread_state& ts, coroutine_core* co) noexcept {
    coroutine_core* resumer = co->resumer_;
    JMPCO_ASSERT(ts.running == co && co->status_ != status::running);
    JMPCO_ASSERT(resumer == nullptr || resumer->status_ == status::normal);
    if (resumer != nullptr) resumer->status_ = status::running;
    ts.running = resumer;
    return context_of(ts, resumer);
  }

  // Where a new coroutine starts, on its own slice; never returns. Its frame stays on the
  // coroutine's stack for its whole life and is copied on every switch, so it keeps nothing: every
  // step is a call out of line that finds the running coroutine (this one) again, and no value
  // lives across a call, so there is no register to save either.
  JMPCO_FRAME_FUNCTION static void launch() noexcept {
    JMPCO_FRAME_MARKER;
    launch_frame_entered(JMPCO_OWN_FRAME_TOP());
#if JMPCO_EXCEPTIONS
    try {
      run_running();
    } catch (const forced_unwind& unwind) {
      // Closed while suspended: its stack is unwound, it dies without error. Another
      // coroutine's forced unwind, kept and rethrown here, is an error like any other (even one
      // whose coroutine was freed and had this address: this coroutine is not being closed).
      end_unwind(unwind);
    } catch (const coroutine_error& raised) {
      die_raising(raised);
    } catch (...) {
      die_throwing();
    }
#else
    run_running();
#endif
    finish_running();
  }

  JMPCO_NOINLINE static void launch_frame_entered(std::uintptr_t frame_top) noexcept {
    detail::launch_frame_entered(this_thread_state(), frame_top);
  }
  // A tail call: the body's frame takes this one's place, right below the launch frame.
  JMPCO_NOINLINE static void run_running() { this_thread_state().running->run(); }
  [[noreturn]] JMPCO_NOINLINE static void finish_running() noexcept {
    finish(this_thread_state().running);
  }

#if JMPCO_EXCEPTIONS
  // Called inside the handler of a forced unwind that reached the running coroutine's launch.
  JMPCO_NOINLINE static void end_unwind(const forced_unwind& unwind) noexcept {
    coroutine_core* self = this_thread_state().running;
    if (unwind.target() != self || !self->closing_) die_throwing();
  }
  // An error value raised as an exception: the same death as without exceptions.
  JMPCO_NOINLINE static void die_raising(const coroutine_error& raised) noexcept {
    this_thread_state().running->set_death(as_death(raised.error()));
  }
  // Called inside a catch (...) handler.
  JMPCO_NOINLINE static void die_throwing() noexcept {
    this_thread_state().running->set_death(error(std::current_exception()));
  }
#endif

  // An error escaping a body is a death, even one that began as a misuse inside it (a call of a
  // dead wrap): the resumer must not read it as a misuse of its own resume, which changes nothing.
  static error as_death(const error& e) noexcept {
    return e.is_misuse() ? error(static_cast<int>(e.code()), message(e.code())) : e;
  }

  [[noreturn]] static void finish(coroutine_core* self) noexcept {
    thread_state& ts = this_thread_state();
    JMPCO_ASSERT(self->status_ == status::running && ts.running == self);
    self->status_ = status::dead;
    self->closing_ = false;
    context* resumer = hand_back(ts, self);
    detail::switch_from_dying(ts, resumer);
  }

  // After control returns to a resumer: a coroutine whose handle is gone is closed and freed now,
  // or, if its unwind cannot run now, as soon as it can.
  static void settle_released(coroutine_core* co) noexcept {
    if (!co->released_ || co->pins_ != 0) return;
    co->released_ = false;  // this call ends the object; the close below must not end it again
    if (co->status_ == status::suspended && !unwind_for_release(this_thread_state(), co)) {
      defer_unwind(this_thread_state(), co);
      return;
    }
    co->destroy();
  }

  // Closes a released suspended coroutine; false if its unwind could not be entered now (no
  // memory to save the frames it would cover, or a foreign stack): it is intact then.
  static bool unwind_for_release(thread_state& ts, coroutine_core* co) noexcept {
    if (co->owner_ != 0 && co->owner_ != ts.id)
      detail::fail_fatally("a suspended coroutine was destroyed by a thread that does not own it");
    const coroutine_core* outer = ts.unwinding_for_release;
    ts.unwinding_for_release = co;
    (void)co->close_core();
    this_thread_state().unwinding_for_release = outer;
    JMPCO_ASSERT(co->status_ == status::dead || co->status_ == status::suspended);
    return co->status_ == status::dead;
  }

  static void defer_unwind(thread_state& ts, coroutine_core* co) noexcept {
    co->resumer_ = ts.deferred;
    ts.deferred = co;
  }

  // Unwinds and frees the deferred coroutines whose unwind can run now; returns how many wait.
  static std::size_t run_deferred(thread_state& ts) noexcept {
    if (ts.running_deferred) return count_deferred(ts);  // the outer call goes on with the list
    ts.running_deferred = true;
    coroutine_core* waiting = std::exchange(ts.deferred, nullptr);
    while (waiting != nullptr) {
      coroutine_core* co = std::exchange(waiting, waiting->resumer_);
      co->resumer_ = nullptr;
      if (unwind_for_release(this_thread_state(), co))
        co->destroy();
      else
        defer_unwind(this_thread_state(), co);
    }
    thread_state& now = this_thread_state();
    now.running_deferred = false;
    return count_deferred(now);
  }

  static std::size_t count_deferred(const thread_state& ts) noexcept {
    std::size_t n = 0;
    for (const coroutine_core* co = ts.deferred; co != nullptr; co = co->resumer_) ++n;
    return n;
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

namespace detail {

void release_thread_resources(thread_state& ts) noexcept {
  if (ts.running != nullptr) return;  // a coroutine still runs: its resumers finish the work
  // At the thread's exit the stack is shallow, above every slice: nothing collides, so an unwind
  // needs no memory and none can be refused; one still waiting has met a fault we cannot mend.
  if (coroutine_lifecycle::run_deferred(ts) != 0)
    fail_fatally("a destroyed coroutine could not be unwound before its thread exited");
  thread_state& now = this_thread_state();
  if (now.current == &now.main) free_copy(&now.main);  // main runs: its copy holds nothing
}

}  // namespace detail

coroutine_core::~coroutine_core() {
  if (status_ == status::running || status_ == status::normal)
    detail::fail_fatally("a coroutine was destroyed while it was running");
  // A layer that destroys a suspended coroutine without release() drops its stack (no unwind).
  if (started_ && status_ == status::suspended) {
    thread_state& ts = this_thread_state();
    if (owner_ != ts.id)
      detail::fail_fatally("a suspended coroutine was destroyed by a thread that does not own it");
    detail::discard_slice(ts, &ctx_);
  }
  detail::free_copy(&ctx_);
  if (has_death_) ctx_.death.~error();
}

const error& coroutine_core::death() const noexcept {
  static const error none;
  return has_death_ ? ctx_.death : none;
}

void coroutine_core::set_death(const error& e) noexcept {
  JMPCO_ASSERT(status_ == status::running && this_thread_state().running == this);
  if (has_death_) {
    ctx_.death = e;
    return;
  }
  ::new (&ctx_.death) error(e);  // the running coroutine's jump buffer is garbage: reuse it
  has_death_ = true;
}

error coroutine_core::take_death() noexcept {
  if (!has_death_) return error();
  // Without exceptions `error` is trivially copyable; with them the move spares a refcount.
  error e = std::move(ctx_.death);  // NOLINT(performance-move-const-arg)
  ctx_.death.~error();
  has_death_ = false;
  return e;
}

void* coroutine_core::take_stack_copy(std::size_t* size) noexcept {
  JMPCO_ASSERT(status_ == status::dead);
  void* block = std::exchange(ctx_.copy, nullptr);
  *size = ctx_.capacity;
  ctx_.saved = 0;
  ctx_.capacity = 0;
  return block;
}

void coroutine_core::give_stack_copy(void* block, std::size_t size) noexcept {
  JMPCO_ASSERT(!started_ && ctx_.copy == nullptr);
  JMPCO_ASSERT(size >= 16 && size % 16 == 0 && size <= UINT32_MAX);
  ctx_.copy = static_cast<unsigned char*>(block);
  ctx_.capacity = static_cast<std::uint32_t>(size);
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
  JMPCO_FRAME_MARKER;
  thread_state& ts = this_thread_state();
  // The fast check is a near-copy of check_resumable's: it may only ever accept what that accepts.
  JMPCO_ASSERT(!coroutine_lifecycle::plainly_resumable(*this, ts, JMPCO_OWN_FRAME_TOP()) ||
               coroutine_lifecycle::check_resumable(*this, ts, JMPCO_OWN_FRAME_TOP()) == errc::ok);
  if (!coroutine_lifecycle::plainly_resumable(*this, ts, JMPCO_OWN_FRAME_TOP())) {
    if (errc refused =
            coroutine_lifecycle::check_resumable_out_of_line(*this, ts, JMPCO_OWN_FRAME_TOP());
        refused != errc::ok)
      return refused;
    owner_ = ts.id;  // a first resume takes this path: plainly_resumable needs an owner
    started_ = true;
  }
  JMPCO_ASSERT(owner_ == ts.id && started_);
  coroutine_core* resumer = ts.running;
  resumer_ = resumer;
  ctx_.level = ts.current->level + 1;
  if (resumer != nullptr) resumer->status_ = status::normal;
  status_ = status::running;
  ts.running = this;
  detail::prepare_switch(ts, &ctx_, &coroutine_lifecycle::launch);
  if (JMPCO_SAVE_CONTEXT(ts.current->env) == 0) {
    if (!detail::complete_switch(ts)) {
      // Not enough memory to save the bytes the coroutine would overwrite: nothing has changed.
      // (A new coroutine never needs a copy to start, so this one had started.)
      status_ = status::suspended;
      coroutine_lifecycle::hand_back(this_thread_state(), this);
      return errc::out_of_memory;
    }
  }
  // Back from the coroutine: it yielded, returned or raised.
  JMPCO_ASSERT(status_ == status::suspended || status_ == status::dead);
  const errc outcome = has_death_ ? ctx_.death.code() : errc::ok;
  coroutine_lifecycle::settle_released(this);  // may free *this
  return outcome;
}

JMPCO_NOINLINE errc coroutine_core::yield_core() noexcept {
  JMPCO_FRAME_MARKER;
  thread_state& ts = this_thread_state();
  coroutine_core* self = ts.running;
  if (self == nullptr) return errc::yield_outside;
  if (self->closing_) return errc::yield_while_closing;  // like Lua's yield inside a __close
  JMPCO_ASSERT(self->status_ == status::running && !self->ctx_.dying);
  if (!detail::on_thread_stack(ts, JMPCO_OWN_FRAME_TOP())) return errc::foreign_stack;
  self->status_ = status::suspended;
  ts.yielding = self;  // so that not even `self` lives across the save
  detail::prepare_switch(ts, coroutine_lifecycle::hand_back(ts, self), nullptr);
  if (JMPCO_SAVE_CONTEXT(ts.current->env) == 0) {
    if (!detail::complete_switch(ts)) return coroutine_lifecycle::undo_yield(this_thread_state());
  }
  // Resumed: resume_core() has set every status and made this coroutine the running one.
  return this_thread_state().running->closing_ ? errc::closing : errc::ok;
}

#if JMPCO_EXCEPTIONS
void coroutine_core::unwind_for_close() {
  const coroutine_core* self = running();
  JMPCO_ASSERT(self != nullptr && self->closing_);
  throw forced_unwind(self);
}
#endif

error coroutine_core::close_core() noexcept {
  thread_state& ts = this_thread_state();
  if (owner_ != 0 && owner_ != ts.id) return error(errc::wrong_thread);
  switch (status_) {
    case status::running:
      return error(errc::close_running);
    case status::normal:
      return error(errc::close_normal);
    case status::dead:
      break;
    case status::suspended:
      if (!started_) {
        status_ = status::dead;
        return error();
      }
#if JMPCO_EXCEPTIONS
      {
        closing_ = true;
        pin();  // an unwinding destructor may let go of this coroutine's last handle
        const errc refused = resume_core();
        if (error(refused).is_misuse()) {
          closing_ = false;  // it could not be entered; it stays suspended and intact
          unpin();
          return error(refused);
        }
        error died_with = take_death();  // handed out once, as Lua's close does
        unpin();                         // may free *this
        return died_with;
      }
#else
      coroutine_lifecycle::discard(ts, this);
#endif
      break;
  }
  return take_death();  // handed out once, as Lua's close does
}

void coroutine_core::die_with(const error& e) noexcept {
  coroutine_core* self = running();
  if (self == nullptr) detail::fail_fatally(e.what());
  self->set_death(coroutine_lifecycle::as_death(e));
  coroutine_lifecycle::finish(self);
}

void coroutine_core::settle_unpinned() noexcept {
  if (status_ != status::running && status_ != status::normal) release();
}

void coroutine_core::release() noexcept {
  released_ = true;
  if (status_ == status::running || status_ == status::normal) return;  // settled by its resumer
  coroutine_lifecycle::settle_released(this);
  thread_state* ts = detail::this_thread_state_if_any();
  if (ts == nullptr) return;
  if (ts->exited)
    detail::release_thread_resources(*ts);  // a thread_local handle that outlived the exit
  else if (ts->deferred != nullptr)
    (void)coroutine_lifecycle::run_deferred(*ts);
}

std::size_t coroutine_core::deferred_closes() noexcept {
  return coroutine_lifecycle::count_deferred(this_thread_state());
}

std::size_t coroutine_core::run_deferred_closes() noexcept {
  return coroutine_lifecycle::run_deferred(this_thread_state());
}

}  // namespace jmpco
