// SPDX-License-Identifier: MIT
// The switch: save what collides with the target's slice, put the target's bytes back, jump.
#include "stack_switch.hpp"

#include <cstring>

#include "assert.hpp"
#include "checked_mode.hpp"
#include "exception_state.hpp"
#include "jmpco/allocator.hpp"
#include "jump.hpp"
#include "sanitizer_support.hpp"

namespace jmpco::detail {
namespace {

// The C++ runtime's per-thread exception record. Elsewhere it stays put for the thread's life, so
// the state caches it; MinGW keeps it in emulated thread_local storage, which winpthreads frees
// while the thread's thread_local destructors run (a later access allocates it anew), and those
// destructors may still switch: ask the runtime each time.
inline void* exception_record(const thread_state& ts) noexcept {
#if defined(__MINGW32__)
  static_cast<void>(ts);
  return exception_state_record();
#else
  return ts.exception_record;
#endif
}

// Distance kept between the frame that copies bytes back and the lowest byte it restores: covers
// the copying frame's own linkage area (return address, saved frame pointer, PowerPC's LR/TOC).
constexpr std::uintptr_t kRestoreClearance = 256;

// The frame of a function lies below its caller's stack pointer, so its frame address is a lower
// bound of the caller's. Returned through an out-parameter: returning a local's address is
// undefined, and GCC folds it to null.
JMPCO_FRAME_FUNCTION void probe_stack(std::uintptr_t* out) noexcept {
  JMPCO_FRAME_MARKER;
  *out = JMPCO_OWN_FRAME_TOP();
}

#if JMPCO_CHECKED
JMPCO_NO_ASAN void fill_vacated_stack(void* where, std::size_t n) noexcept {
  auto* d = static_cast<volatile unsigned char*>(where);  // no memset: see copy_stack_bytes
  for (std::size_t i = 0; i < n; ++i) d[i] = kVacatedStackByte;
}
#endif

// The largest piece copy_stack_bytes hands to one memcpy call. From about 2 KiB on, glibc's x86-64
// memcpy switches to `rep movsb`, which between the stack and a heap copy runs at about half the
// speed of its vector loop (bench/stack_copy.cpp: 4 KiB there and back in 62 ns in 2 KiB pieces,
// 105 ns whole). Elsewhere the pieces cost one more call per 2 KiB. (ASan builds copy bytewise.)
#if !defined(JMPCO_ASAN)
constexpr std::size_t kCopyPiece = 2048;

JMPCO_NOINLINE void copy_in_pieces(void* to, const void* from, std::size_t n) noexcept {
  auto* d = static_cast<unsigned char*>(to);
  const auto* s = static_cast<const unsigned char*>(from);
  for (; n > kCopyPiece; n -= kCopyPiece, d += kCopyPiece, s += kCopyPiece)
    std::memcpy(d, s, kCopyPiece);
  std::memcpy(d, s, n);
}
#endif

// Copies stack bytes. Under ASan the bytes include other frames' redzones, so the copy must not be
// instrumented or intercepted: a byte loop through volatile cannot become a memcpy call.
JMPCO_NO_ASAN void copy_stack_bytes(void* to, const void* from, std::size_t n) noexcept {
#if defined(JMPCO_ASAN)
  auto* d = static_cast<volatile unsigned char*>(to);
  auto* s = static_cast<const volatile unsigned char*>(from);
  for (std::size_t i = 0; i < n; ++i) d[i] = s[i];
#else
  if (n > kCopyPiece) return copy_in_pieces(to, from, n);
  std::memcpy(to, from, n);
#endif
}

// Moves stack bytes of a context that is leaving the stack to its heap copy. In checked mode
// (checked_mode.hpp) the bytes left behind are filled with a pattern: until their context comes
// back they belong to nobody, and a pointer into them that survived the switch reads the pattern,
// every time, instead of whatever the running context happened to leave there.
inline void save_stack_bytes(unsigned char* to, std::uintptr_t from, std::size_t n) noexcept {
  copy_stack_bytes(to, reinterpret_cast<const void*>(from), n);
#if JMPCO_CHECKED
  fill_vacated_stack(reinterpret_cast<void*>(from), n);
#endif
}

// The largest heap copy a context can record (its sizes are 32-bit), in whole allocation units.
constexpr std::uint32_t kLargestCopy = UINT32_MAX & ~std::uint32_t{15};

// Grows c's heap copy to at least `need` bytes, keeping the bytes saved so far. Off the hot path:
// a context's copy only grows while its deepest yield point is still being found.
JMPCO_NOINLINE bool grow_copy(context* c, std::size_t need) noexcept {
  // Checked before rounding up to malloc's granularity: with a 32-bit size_t, rounding a larger
  // need would wrap to 0.
  if (need > kLargestCopy) return false;
  const auto capacity = static_cast<std::uint32_t>((need + 15) & ~std::size_t{15});
  auto* grown = static_cast<unsigned char*>(allocate(capacity));
  if (grown == nullptr) return false;
  // Bytes saved before may already be covered by another slice: keep them, never re-read them.
  if (c->saved != 0) std::memcpy(grown, c->copy, c->saved);
  if (c->copy != nullptr) deallocate(c->copy, c->capacity);
  c->copy = grown;
  c->capacity = capacity;
  return true;
}

// Ensures c's heap copy can hold [c->start, upto).
inline bool reserve_below(context* c, std::uintptr_t upto) noexcept {
  return upto <= c->start || upto - c->start <= c->capacity || grow_copy(c, upto - c->start);
}

// Ensures [c->start, upto) is in c's heap copy, copying only the bytes not saved before. Its copy
// must already be large enough (reserve_below).
inline void save_below(context* c, std::uintptr_t upto) noexcept {
  if (upto <= c->start) return;
  const std::size_t need = upto - c->start;
  if (need <= c->saved) return;
  save_stack_bytes(c->copy + c->saved, c->start + c->saved, need - c->saved);
  c->saved = static_cast<std::uint32_t>(need);  // need <= capacity
}

// The context whose bytes the chain starts from: a dying context's frames are never saved.
inline context* chain_head(thread_state& ts) noexcept {
  return ts.current->dying ? ts.current->older : ts.current;
}

// Calls step(owner, upto) for each context with bytes below target->stop, with the end of the
// bytes it must save: the contexts wholly inside the target's slice, then the one straddling its
// stop. Stops at the first step that returns false.
template <class Step>
bool for_each_colliding(thread_state& ts, context* target, Step step) noexcept {
  context* owner = chain_head(ts);
  while (owner->stop < target->stop) {  // entirely inside the target's slice
    if (!step(owner, owner->stop)) return false;
    owner = owner->older;
  }
  return owner == target || step(owner, target->stop);
}

// Saves every byte of other contexts that lies below target->stop. Every copy is allocated before
// any byte is copied, so that a failure changes nothing: the running context, had some of its
// bytes been counted as saved, would go on changing them and not save them again at its next
// switch.
inline bool save_colliding(thread_state& ts, context* target) noexcept {
  if (!for_each_colliding(ts, target, reserve_below)) return false;
  for_each_colliding(ts, target, [](context* c, std::uintptr_t upto) {
    save_below(c, upto);
    return true;
  });
  return true;
}

// The chain invariant: stops increase from the head to the main context, every heap copy fits
// its capacity, and each context's live bytes [start + saved, stop) are a real range.
[[maybe_unused]] bool chain_is_ordered(const thread_state& ts) noexcept {
  for (const context* c = ts.current; c != nullptr; c = c->older) {
    if (c->saved > c->capacity) return false;
    if (c->older != nullptr && c->older->stop <= c->stop) return false;
    if (c->older == nullptr && c != &ts.main) return false;
  }
  return true;
}

// Makes `target` the head of the chain; contexts at or below its stop are wholly saved by now.
inline void enter_chain(thread_state& ts, context* target) noexcept {
  context* owner = chain_head(ts);
  while (owner != nullptr && owner->stop <= target->stop) owner = owner->older;
  target->older = owner;
  ts.current = target;
}

// Copies the target's heap bytes back to their addresses and jumps into it. Runs below every
// byte it restores; its argument lives in its caller's frame on i386, which the descent keeps
// clear of the restored range too.
[[noreturn]] JMPCO_FRAME_FUNCTION JMPCO_NO_ASAN void restore_and_jump(
    context* target, volatile char* anchor) noexcept {
  *anchor = 0;  // a real use: the optimizer may not drop the argument, nor the caller's frame
  copy_stack_bytes(reinterpret_cast<void*>(target->start), target->copy, target->saved);
  target->saved = 0;
  forget_stack_poison();
  JMPCO_JUMP_INTO(target->env);
}

// The descent: how the restoring frame gets below the target's bytes. Defining
// JMPCO_DESCENT_RECURSIVE selects the portable one everywhere (the fortify preset does, so that it
// stays tested).
#if (defined(__GNUC__) || defined(__clang__)) && !defined(JMPCO_DESCENT_RECURSIVE)
// GCC and Clang: alloca moves the stack pointer below the target's lowest saved byte in one step,
// whatever the distance, up to a bound: Valgrind takes a larger move of the stack pointer for a
// switch to another stack. Each call passes its pad on, which keeps the call from becoming a tail
// call that would drop the pad; the pad is written, so that the optimizer keeps it.
constexpr std::size_t kLargestDescentStep = std::size_t{256} * 1024;

[[noreturn]] JMPCO_FRAME_FUNCTION JMPCO_NO_ASAN void descend_then_restore(
    context* target, volatile char* anchor) noexcept {
  const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));  // >= sp
  const std::uintptr_t floor = target->start - kRestoreClearance;
  const std::size_t distance = here > floor ? here - floor : 0;
  const std::size_t step = distance < kLargestDescentStep ? distance : kLargestDescentStep;
  auto* pad = static_cast<volatile char*>(__builtin_alloca(step + 16));
  pad[0] = *anchor;
  if (step < distance) descend_then_restore(target, pad);
  restore_and_jump(target, pad);
}

[[noreturn]] inline void descend_then_restore(context* target) noexcept {
  volatile char anchor = 0;
  descend_then_restore(target, &anchor);
}

// The descent made in the switching frame itself (complete_switch): one alloca below the target's
// bytes, then the restoring frame, with no descent frame between. The switching frame never
// returns from here, so the restore may overwrite it. A longer way down goes step by step.
#define JMPCO_DESCEND_THEN_RESTORE(target)                                                      \
  do {                                                                                          \
    const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)); /* >= sp */ \
    const std::uintptr_t floor = (target)->start - kRestoreClearance;                           \
    const std::size_t distance = here > floor ? here - floor : 0;                               \
    if (distance > kLargestDescentStep) descend_then_restore(target);                           \
    auto* pad = static_cast<volatile char*>(__builtin_alloca(distance + 16));                   \
    pad[0] = 0;                                                                                 \
    restore_and_jump((target), pad);                                                            \
  } while (false)
#else
// Each descent step moves the stack pointer down by about this much.
constexpr std::size_t kDescentStep = 1024;

// Elsewhere: recursion over a fixed pad until the stack pointer is clearly below the target's
// lowest saved byte. Each call passes its pad on, which keeps the compiler from turning the call
// into a tail call that would reuse this frame; both ends of the pad are written, so that the
// optimizer cannot shrink it.
[[noreturn]] JMPCO_FRAME_FUNCTION void descend_step(context* target,
                                                    volatile char* anchor) noexcept {
  volatile char pad[kDescentStep];
  pad[0] = *anchor;
  pad[kDescentStep - 1] = 0;
  std::uintptr_t here = 0;
  probe_stack(&here);
  if (here + kRestoreClearance > target->start) descend_step(target, pad);
  restore_and_jump(target, pad);
}

[[noreturn]] JMPCO_FRAME_FUNCTION void descend_then_restore(context* target) noexcept {
  volatile char anchor = 0;
  descend_step(target, &anchor);
}
#define JMPCO_DESCEND_THEN_RESTORE(target) descend_then_restore(target)
#endif

// Never inlined, by GCC's rule for functions that use __builtin_longjmp.
[[noreturn]] void enter_target(context* target) noexcept {
  if (target->saved == 0) {  // its bytes are all still in place
    forget_stack_poison();
    JMPCO_JUMP_INTO(target->env);
  }
  descend_then_restore(target);
}

// Where the bytes of the calling frame's context begin, seen from inside complete_switch: its
// frame address, or above it where the bytes there are complete_switch's own linkage, dead once
// the switch has jumped away: 16 bytes less to copy on every switch and to keep for every
// suspended coroutine.
#if JMPCO_FRAME_ADDRESS_IS_FRAME_TOP
constexpr std::uintptr_t kSwitchFrameLinkage = 2 * sizeof(void*);  // saved frame pointer, return
#else
constexpr std::uintptr_t kSwitchFrameLinkage = 0;
#endif

// Makes the switch's target, which has never run, the running context on a new slice that ends
// at `top`: every frame the coroutine will ever have lies below it. What lies between there and
// the switching context's saved frame is dead (complete_switch's frame and the launch frames,
// which never return), so that context's live bytes may be said to start at `top` too, and
// nothing collides.
void enter_new_slice(thread_state& ts, std::uintptr_t top) noexcept {
  context* self = ts.current;
  context* target = ts.switch_target;
  self->start = top;
  target->stop = top;
  swap_exception_state(exception_record(ts), self, target);
  enter_chain(ts, target);
}

#if JMPCO_FRAME_ADDRESS_IS_FRAME_TOP
// The launch function's own frame holds the top of the new slice (launch_frame_entered).
[[noreturn]] void launch_new_slice(thread_state& ts) noexcept {
  ts.launch();
  fail_fatally("a coroutine entry function returned");
}
#else
// Elsewhere a frame address may be the low end of its frame (AArch64, Thumb-2), so the launch
// function is called from this frame, whose address bounds every byte of it from above. This
// frame keeps nothing after the call: what it has above that address may be overwritten.
[[noreturn]] JMPCO_FRAME_FUNCTION void launch_new_slice(thread_state& ts) noexcept {
  JMPCO_FRAME_MARKER;
  enter_new_slice(ts, JMPCO_OWN_FRAME_TOP());
  ts.launch();
  // Never reached. The call keeps the one above from becoming a tail call: that would pop this
  // frame first and start the coroutine's frames above its own slice (GCC does so for Thumb-2
  // with -fno-exceptions, whose frame address is the frame's low end).
  fail_fatally("a coroutine entry function returned");
}
#endif

}  // namespace

void launch_frame_entered([[maybe_unused]] thread_state& ts,
                          [[maybe_unused]] std::uintptr_t frame_top) noexcept {
#if JMPCO_FRAME_ADDRESS_IS_FRAME_TOP
  enter_new_slice(ts, frame_top);
#endif
}

JMPCO_FRAME_FUNCTION bool complete_switch(thread_state& ts) noexcept {
  JMPCO_FRAME_MARKER;
  context* self = ts.current;  // running, so all its bytes are on the stack; never dying here
  context* target = ts.switch_target;
  if (target->stop == 0) launch_new_slice(ts);                // never returns
  self->start = JMPCO_OWN_FRAME_TOP() + kSwitchFrameLinkage;  // below it: dead once we jump
  JMPCO_ASSERT(!self->dying && self->saved == 0 && self->start < self->stop);
  JMPCO_ASSERT(target != self && target->stop > target->start);
  // The two switches of a resume-yield loop first, each the general case below with its chain
  // walks done by hand.
  if (target == self->older && self->stop - self->start <= self->capacity) {
    // A yield to the next context on the chain: only self collides, wholly, and the chain from
    // the target on is unchanged.
    save_stack_bytes(self->copy, self->start, self->stop - self->start);
    self->saved = static_cast<std::uint32_t>(self->stop - self->start);  // <= capacity
    ts.current = target;
  } else {
    // A yielding context that stays on the chain reserves a copy of all its live bytes now, when
    // a failure can still be reported: a coroutine that finishes later may have to save them
    // (switch_from_dying), and leaving a finished coroutine must not need memory.
    if (ts.launch == nullptr && !reserve_below(self, self->stop)) return false;
    if (self->start >= target->stop) {
      // A resume or yield from at or above the target's slice: nothing collides, self comes
      // next after it.
      target->older = self;
      ts.current = target;
    } else {
      if (!save_colliding(ts, target)) return false;
      enter_chain(ts, target);
    }
  }
  JMPCO_ASSERT(chain_is_ordered(ts));
  swap_exception_state(exception_record(ts), self, target);
  // enter_target(), with the jump and the descent made from here: fewer calls on every switch.
  if (target->saved == 0) {
    forget_stack_poison();
    JMPCO_JUMP_INTO(target->env);
  }
  JMPCO_DESCEND_THEN_RESTORE(target);
}

std::uintptr_t stack_position() noexcept {
  std::uintptr_t here = 0;
  probe_stack(&here);
  return here;
}

void switch_from_dying(thread_state& ts, context* target) noexcept {
  ts.current->dying = true;
  // Every context that may have to be saved here reserved its copy when it last switched away.
  if (!save_colliding(ts, target)) fail_fatally("not enough memory to leave a finished coroutine");
  load_exception_state(exception_record(ts), target);
  enter_chain(ts, target);
  enter_target(target);
}

void discard_slice(thread_state& ts, context* c) noexcept {
  for (context* link = ts.current; link != nullptr; link = link->older) {
    if (link->older == c) {
      link->older = c->older;
      break;
    }
  }
  c->older = nullptr;
  free_copy(c);
}

void free_copy(context* c) noexcept {
  if (c->copy != nullptr) deallocate(c->copy, c->capacity);
  c->copy = nullptr;
  c->saved = 0;
  c->capacity = 0;
}

}  // namespace jmpco::detail
