// SPDX-License-Identifier: MIT
// The untyped core: a coroutine control block that runs on the calling thread's own stack and keeps
// the live part of its stack in a heap copy while it is not running. Typed front ends
// (coroutine.hpp, generator.hpp) and the Lua replay interpreter derive from coroutine_core and
// carry their values in the derived object, which lives on the heap and so stays reachable from
// both sides of a switch.
#ifndef JMPCO_CORE_HPP
#define JMPCO_CORE_HPP

#include <cstddef>
#include <cstdint>

#include "jmpco/config.hpp"
#include "jmpco/detail/jump_buffer.hpp"
#include "jmpco/error.hpp"

namespace jmpco {

class coroutine_core;

#if JMPCO_EXCEPTIONS
// Thrown from the yield a suspended coroutine waits in when that coroutine is closed (or its last
// handle is destroyed), so that the destructors of every object on its stack run. A `catch (...)`
// that catches it must rethrow it; it is not a std::exception. It ends only the coroutine it was
// thrown for: rethrown anywhere else (kept with std::current_exception()), it is an error there.
class JMPCO_API forced_unwind {
 public:
  // The coroutine being closed.
  const coroutine_core* target() const noexcept { return target_; }

 private:
  friend class coroutine_core;
  explicit forced_unwind(const coroutine_core* target) noexcept : target_(target) {}
  const coroutine_core* target_;
};
#endif

namespace detail {
struct thread_state;

// One stack slice: the machinery's view of a coroutine, or of a thread's main context.
// Invariant while a context is on its thread's chain: [start + saved, stop) is live on the stack
// and [start, start + saved) is in `copy`.
struct context {
  context() noexcept : env() {}
  ~context() {}  // the coroutine that owns it destroys a death it holds
  context(const context&) = delete;
  context& operator=(const context&) = delete;

  // A context is entered through `env` until it dies; after that it is never entered again, and
  // the same bytes hold the error its coroutine died with (coroutine_core keeps track of which).
  union {
    jump_buffer env;
    jmpco::error death;
  };
  std::uintptr_t stop = 0;        // exclusive top of the slice; fixed when the context first runs
  std::uintptr_t start = 0;       // lowest live byte when the context last left
  unsigned char* copy = nullptr;  // heap copy of the lowest `saved` bytes
  context* older = nullptr;       // next context on the chain, whose stop is higher
#if JMPCO_EXCEPTIONS
  // This context's share of the C++ runtime's per-thread exception state: the caught-exception
  // stack and the uncaught count, plus the propagating exception on ARM's EHABI.
  void* caught_exceptions = nullptr;
#if defined(__ARM_EABI_UNWINDER__)
  void* propagating_exceptions = nullptr;
#endif
  unsigned uncaught_exceptions = 0;
#endif
  // The 4- and 1-byte fields last, so that the coroutine's own flags fill the tail padding.
  std::uint32_t saved = 0;  // 32 bits: a slice of 4 GiB or more fails as out of memory
  std::uint32_t capacity = 0;
  unsigned level = 0;  // nesting level (Lua's nCcalls)
  bool dying = false;  // its frames are garbage; never save them
};
}  // namespace detail

class JMPCO_API coroutine_core {
 public:
  coroutine_core(const coroutine_core&) = delete;
  coroutine_core& operator=(const coroutine_core&) = delete;

  jmpco::status status() const noexcept { return status_; }
  // The error this coroutine died with (code ok if it has not died by error, or once close() has
  // handed it out).
  const jmpco::error& death() const noexcept;

  // The coroutine running on this thread, or nullptr on the thread's main context.
  static coroutine_core* running() noexcept;
  // False on a thread's main context, and while close() unwinds the running coroutine.
  static bool is_yieldable() noexcept;

  // Nesting levels, counted like Lua's nCcalls: a resumed coroutine starts one level above its
  // resumer, and a layer may spend further levels (Lua's pcall does). Entering a level beyond the
  // thread's limit fails with errc::c_stack_overflow.
  static unsigned level() noexcept;
  static errc enter_level() noexcept;
  static void leave_level() noexcept;
  static constexpr unsigned default_nesting_limit = 200;  // Lua's LUAI_MAXCCALLS
  static unsigned nesting_limit() noexcept;  // this thread's; default_nesting_limit at first
  static void set_nesting_limit(unsigned limit) noexcept;
  // Thread stack that must still be free below the resumer for a coroutine to start (64 KiB by
  // default); where the OS cannot say how large the stack is, only the nesting limit applies.
  static std::size_t stack_reserve() noexcept;
  static void set_stack_reserve(std::size_t bytes) noexcept;

  // Coroutines whose last handle let go while they were suspended, and whose unwind could not
  // run then (not enough memory to save the releasing frames): none of their destructors is
  // skipped; each waits for the next release on this thread, run_deferred_closes(), or this
  // thread's exit, whichever comes first. Both return how many still wait.
  static std::size_t deferred_closes() noexcept;
  static std::size_t run_deferred_closes() noexcept;

#if JMPCO_EXCEPTIONS
  // Throws the forced_unwind that ends the running coroutine while close() unwinds it (what a
  // yield that returned errc::closing throws where an exception may propagate; raising or
  // rethrowing an errc::closing error there does the same).
  [[noreturn]] static void unwind_for_close();
#endif

  // The compile-time signature tag of a typed front end, checked where yields are untyped (nullptr
  // for a layer without one). Virtual rather than a member: one pointer less in every coroutine.
  virtual const void* signature() const noexcept { return nullptr; }
  // Whether a resume has entered the body (a resume refused before it, as at the nesting limit,
  // leaves it unstarted).
  bool started() const noexcept { return started_; }

  // Kills the running coroutine with `e` at once: its resumer gets `e` from resume. No destructor
  // runs on its stack (front ends with exceptions throw instead). On a thread's main context it
  // fails fatally.
  [[noreturn]] static void die_with(const jmpco::error& e) noexcept;

 protected:
  coroutine_core() noexcept = default;
  virtual ~coroutine_core();

  // The body. It starts on the first resume_core(); returning makes the coroutine dead.
  // An exception escaping it (with exceptions enabled) is caught and becomes death().
  virtual void run() = 0;
  // Frees this object. Called once, by release() or when a released coroutine stops running.
  virtual void destroy() noexcept = 0;

  // Enters this coroutine and returns when it yields or dies: errc::ok if it yielded or returned
  // (status() tells which), errc::exception/raised if it died by error (see death()), or the misuse
  // code of an operation that did nothing.
  errc resume_core() noexcept;
  // Leaves the running coroutine for its resumer and returns when it is resumed again: errc::ok,
  // or errc::closing when close() (or the release of its last handle) resumed it to unwind its
  // stack. Without leaving: errc::yield_outside on a thread's main context,
  // errc::yield_while_closing while close() unwinds it, errc::foreign_stack on a stack that is not
  // the thread's own, errc::out_of_memory when its stack could not be saved. Never throws: on
  // errc::closing a front end throws unwind_for_close() where an exception may propagate.
  static errc yield_core() noexcept;

  // Closes a suspended or dead coroutine: a started one is unwound (with exceptions) or discarded
  // (without). Returns the error it died with, or the error the unwind ended with (a handler
  // that caught the forced unwind and threw its own error). A destructor that throws while the
  // forced unwind propagates terminates the program, as any throw during stack unwinding does.
  jmpco::error close_core() noexcept;

  // The owning handle lets go: frees now if possible, closes a suspended coroutine first, or
  // defers until a running/normal coroutine hands control back.
  void release() noexcept;
  // Between pin() and unpin() a released coroutine is not freed when it hands control back, so a
  // front end can still read its mailboxes after resume_core(); the last unpin() settles it.
  // Pins nest (a value's move may re-enter the library while a resume holds its pin).
  // For a layer that recycles memory (the scheduler's cache): a dead coroutine hands out the heap
  // block that held its stack copy (nullptr if it has none) with its size, which is what jmpco's
  // allocator was asked for; a coroutine that has not started takes such a block (of at least 16
  // bytes, a multiple of 16) as its copy. Either way the block is then the other side's to free.
  void* take_stack_copy(std::size_t* size) noexcept;
  void give_stack_copy(void* block, std::size_t size) noexcept;

  void pin() noexcept { ++pins_; }
  void unpin() noexcept {
    --pins_;
    if (released_ && pins_ == 0) settle_unpinned();
  }

 private:
  friend struct detail::thread_state;
  friend struct coroutine_lifecycle;

  void settle_unpinned() noexcept;  // unpin() of a released coroutine

  // Records the running coroutine's death (its jump buffer is no longer needed); hands it out.
  void set_death(const jmpco::error& e) noexcept;
  jmpco::error take_death() noexcept;

  // Where yield and death return to. While a released coroutine waits for its deferred unwind
  // (it is suspended then, so it has no resumer), the next one waiting on its thread.
  coroutine_core* resumer_ = nullptr;
  // The id of the owning thread's state, set by the first resume (0 before): an id, not an
  // address, because a new thread may get an exited thread's thread-local storage.
  std::uintptr_t owner_ = 0;
  // Holds death() once the coroutine has died by error. The flags below live in its tail
  // padding, and a front end's first small members in this object's (bench/README.md counts the
  // bytes of a suspended generator).
  JMPCO_NO_UNIQUE_ADDRESS detail::context ctx_;
  jmpco::status status_ = jmpco::status::suspended;
  bool started_ = false;
  bool closing_ = false;    // resumed only to unwind its stack
  bool released_ = false;   // no handle owns it any more
  std::uint8_t pins_ = 0;   // front ends still reading it after a resume
  bool has_death_ = false;  // ctx_.death holds an error (and ctx_.env is gone)
};

}  // namespace jmpco

#endif  // JMPCO_CORE_HPP
