// SPDX-License-Identifier: MIT
// The scheduler's run loop, its queues and its timer heap (include/jmpco/scheduler.hpp).
#include "jmpco/scheduler.hpp"

#include <cstdint>

#include "assert.hpp"
#include "scheduler_wait.hpp"
#include "thread_state.hpp"

#if JMPCO_EXCEPTIONS
#include <exception>
#endif

namespace jmpco {

struct scheduler::in_use_scope {
  scheduler* s;
  explicit in_use_scope(scheduler* s) noexcept : s(s) { ++s->in_use_; }
  ~in_use_scope() {
    JMPCO_ASSERT(s->in_use_ > 0);
    --s->in_use_;
  }
  in_use_scope(const in_use_scope&) = delete;
  in_use_scope& operator=(const in_use_scope&) = delete;
};

namespace detail {

namespace {

// How often a killed task may wait again (each wait failing at once) before it is taken to
// ignore the kill and unwound: about 20 ms of a loop that ignores the errors.
constexpr std::uint32_t kKilledTaskWaits = std::uint32_t{1} << 20;

// The task the scheduler resumed last on this thread, and that scheduler.
struct running_slot {
  task_node* task = nullptr;
  scheduler* owner = nullptr;
};
#if JMPCO_THREADS
thread_local running_slot running_now;
// How many channels on this thread run a value's move or destructor (value_move_scope).
thread_local unsigned value_moves = 0;
#else
running_slot running_now;
unsigned value_moves = 0;
#endif

}  // namespace

task_node* running_task() noexcept {
  task_node* t = running_now.task;
  // A task that resumed a coroutine of its own is not the one running.
  if (t == nullptr || t->body != coroutine_core::running()) return nullptr;
  return t;
}

void enter_value_move() noexcept { ++value_moves; }
void leave_value_move() noexcept {
  JMPCO_ASSERT(value_moves > 0);
  --value_moves;
}
bool inside_value_move() noexcept { return value_moves != 0; }

error park_running_task(bool ready) {
  if (inside_value_move()) return error(errc::inside_value_move);
  task_node* self = running_task();
  if (self == nullptr) return error(errc::outside_task);
  if (self->kill_seen) {  // its coroutine is being closed: it cannot park
#if JMPCO_EXCEPTIONS
    // A loop that ignores the errors (`for (;;) (void)this_task::yield();`) would keep the kill
    // from ever returning. Nothing can tell such a loop from destructors that each wait once (a
    // connection's goodbye), and a forced unwind thrown in a destructor ends the program: so
    // only a count no set of destructors reaches in practice, each wait failing at once.
    if (self->waits_after_kill == kKilledTaskWaits && std::uncaught_exceptions() == 0) {
      self->owner->abandon_waits(self);  // what the caller set up for this wait
      coroutine_core::unwind_for_close();
    }
#endif
    if (self->waits_after_kill < kKilledTaskWaits) ++self->waits_after_kill;
    return error(errc::yield_while_closing);
  }
  // A ready task stays `running`: resume() queues it again when it is back.
  if (!ready) self->current = task_node::state::waiting;
  // The task's own yielder, not this_coroutine::try_yield: the signature tag that one checks is
  // an object per binary, and a shared libjmpco's is not the program's that made the task.
  result<void> woken = self->body->body_yielder().try_yield();
  if (woken) return error();
  if (woken.code() == errc::closing) {  // killed: the kill abandoned the wait
    self->kill_seen = true;
    return woken.error();
  }
  self->current = task_node::state::running;  // it could not park: it runs on
  return woken.error();
}

void wake(task_node* t) noexcept {
  if (t->current != task_node::state::waiting) return;
  if (t->owner->present_ != scheduler::kPresent)
    fail_fatally("a task was woken whose scheduler is not there (on a parked coroutine's stack?)");
  t->current = task_node::state::ready;
  t->owner->push_ready(t);
}

void stop_joining(task_node* t) noexcept {
  task_node* target = t->joining;
  if (target == nullptr) return;
  for (task_node** at = &target->joiners; *at != nullptr; at = &(*at)->next_joiner) {
    if (*at == t) {
      *at = t->next_joiner;
      break;
    }
  }
  t->joining = nullptr;
  t->next_joiner = nullptr;
}

void release_task(task_node* t) noexcept {
  JMPCO_ASSERT(t->references > 0);
  if (--t->references != 0) return;
  JMPCO_ASSERT(t->finished() && t->any_waiters == nullptr);
  scheduler* owner = t->owner;
  if (owner == nullptr) return t->destroy();
  // The handler and the destructors of the task's function object run in here.
  const scheduler::in_use_scope in_use(owner);
  const errc code = t->failure.code();
  if (!t->collected && code != errc::ok && code != errc::killed) owner->report_unjoined(t->failure);
  // Off its scheduler's list of tasks.
  if (t->all_prev != nullptr)
    t->all_prev->all_next = t->all_next;
  else
    owner->all_ = t->all_next;
  if (t->all_next != nullptr) t->all_next->all_prev = t->all_prev;
  t->destroy();
}

void release_task_body(task_node* t) noexcept {
  task_body_base* body = std::exchange(t->body, nullptr);
  if (body == nullptr) return;
  // A dead coroutine is freed by release() at once; one that kill() could not close may be freed
  // later, by its thread's deferred closes, when the scheduler may be gone.
  const bool freed_now = body->status() == status::dead;
  body->home = freed_now ? t->owner : nullptr;
  if (freed_now && t->owner != nullptr) {
    std::size_t size = 0;
    if (void* copy = body->take_stack_copy(&size)) t->owner->keep_stack_copy(copy, size);
  }
  body->release();
}

void lend_stack_copy(task_node* t) noexcept {
  std::size_t size = 0;
  t->owner->follow_allocator();  // a copy of the allocator before a change goes back to it
  if (void* copy = t->owner->take_stack_copy(&size)) t->body->give_stack_copy(copy, size);
}

namespace {

// As coroutine<void()>::resume: what the task's coroutine died with, or the misuse that refused
// the resume.
result<void> resume_body(task_body_base* body) noexcept {
  return resume_pinned(body, [body](errc e) noexcept -> result<void> {
    if (e != errc::ok) return failure_of(*body, e);
    body->outbox.take();
    return result<void>();
  });
}

}  // namespace

// ---- the cache of finished tasks' memory ------------------------------------------------------

namespace {

// Block sizes are rounded up to this: the allocator sees the same size when the block goes back,
// whether it went through the cache or not, and near sizes share a free list.
constexpr std::size_t kCacheGranule = 16;

std::size_t cache_size_of(std::size_t size) noexcept {
  return (size + kCacheGranule - 1) & ~(kCacheGranule - 1);
}

}  // namespace

void* allocate_task_memory(scheduler* s, std::size_t size) noexcept {
  const std::size_t rounded = cache_size_of(size);
  if (rounded < size) return nullptr;  // wrapped
  if (s != nullptr) {
    if (void* block = s->take_cached(rounded)) return block;
  }
  return allocate(rounded);
}

void free_task_memory(scheduler* s, void* block, std::size_t size) noexcept {
  const std::size_t rounded = cache_size_of(size);
  if (s != nullptr && s->keep_cached(block, rounded)) return;
  deallocate(block, rounded);
}

// ---- wait_any: one heap block per wait, an entry per task it waits on ---------------------------

struct any_wait;

// A wait_any's place in one task's list of them. The entry pins its task (one reference) for
// the whole wait, so handles may go meanwhile.
struct any_wait_entry {
  any_wait* wait;
  task_node* target;  // nullptr: the handle at this position was empty
  any_wait_entry* next = nullptr;
  any_wait_entry* prev = nullptr;
  bool linked = false;  // in target->any_waiters
};

// The block: this header, then `count` entries, in the order of wait_any's arguments.
struct any_wait {
  task_node* waiter;  // the task parked on it, or nullptr when the scheduler is run instead
  std::size_t count;

  any_wait_entry* entries() noexcept { return reinterpret_cast<any_wait_entry*>(this + 1); }
  static std::size_t size_for(std::size_t count) noexcept {
    constexpr std::size_t most =
        (static_cast<std::size_t>(-1) - sizeof(any_wait)) / sizeof(any_wait_entry);
    return count > most ? 0 : sizeof(any_wait) + count * sizeof(any_wait_entry);
  }
};
static_assert(sizeof(any_wait) % alignof(any_wait_entry) == 0, "entries follow the header");

namespace {

// Pins every task the handles hold now; nullptr without memory.
any_wait* new_any_wait(task_node* waiter, const void* tasks, std::size_t count,
                       task_at at) noexcept {
  const std::size_t size = any_wait::size_for(count);
  void* memory = size == 0 ? nullptr : allocate(size);
  if (memory == nullptr) return nullptr;
  auto* w = ::new (memory) any_wait{waiter, count};
  for (std::size_t i = 0; i < count; ++i) {
    task_node* target = at(tasks, i);
    if (target != nullptr) ++target->references;
    ::new (&w->entries()[i]) any_wait_entry{w, target};
  }
  return w;
}

void link_any_wait(any_wait* w) noexcept {
  for (std::size_t i = 0; i < w->count; ++i) {
    any_wait_entry& e = w->entries()[i];
    if (e.target == nullptr) continue;
    JMPCO_ASSERT(!e.target->finished());
    e.next = e.target->any_waiters;
    if (e.next != nullptr) e.next->prev = &e;
    e.target->any_waiters = &e;
    e.linked = true;
  }
}

void unlink_any_wait(any_wait* w) noexcept {
  for (std::size_t i = 0; i < w->count; ++i) {
    any_wait_entry& e = w->entries()[i];
    if (!e.linked) continue;
    (e.prev != nullptr ? e.prev->next : e.target->any_waiters) = e.next;
    if (e.next != nullptr) e.next->prev = e.prev;
    e.next = e.prev = nullptr;
    e.linked = false;
  }
}

// Off every list, the pins dropped (a task whose handle went may be freed here), the block freed.
void free_any_wait(any_wait* w) noexcept {
  unlink_any_wait(w);
  const std::size_t count = w->count;
  for (std::size_t i = 0; i < count; ++i) {
    if (task_node* target = w->entries()[i].target) release_task(target);
  }
  w->~any_wait();
  deallocate(w, any_wait::size_for(count));
}

std::optional<std::size_t> first_finished(any_wait* w) noexcept {
  for (std::size_t i = 0; i < w->count; ++i) {
    const task_node* target = w->entries()[i].target;
    if (target != nullptr && target->finished()) return i;
  }
  return std::nullopt;
}

// What the handles hold before the wait: read once, before any task runs.
struct any_wait_targets {
  bool any = false;                     // a handle is not empty
  bool self_among = false;              // the running task is one of them
  bool mixed = false;                   // they belong to more than one scheduler
  std::optional<std::size_t> finished;  // the first that has finished
  scheduler* owner = nullptr;           // their scheduler (nullptr: all finished with it gone)
};

any_wait_targets look_at_targets(const void* tasks, std::size_t count, task_at at,
                                 const task_node* self) noexcept {
  any_wait_targets seen;
  for (std::size_t i = 0; i < count; ++i) {
    const task_node* target = at(tasks, i);
    if (target == nullptr) continue;
    seen.any = true;
    seen.self_among |= target == self;
    if (target->finished() && !seen.finished) seen.finished = i;
    if (target->owner == nullptr) continue;  // finished, its scheduler gone
    if (seen.owner != nullptr && seen.owner != target->owner) seen.mixed = true;
    seen.owner = target->owner;
  }
  return seen;
}

// Parks `self` on `w` until one of the tasks finishes. Killed, the kill frees `w`.
error park_on_any_wait(task_node* self, any_wait* w) {
  link_any_wait(w);
  return park_on(self, w, [](void* wait) noexcept { free_any_wait(static_cast<any_wait*>(wait)); });
}

// `t` finished: every wait_any parked on it goes on (withdrawn from its other tasks).
void wake_any_waiters(task_node* t) noexcept {
  while (any_wait_entry* e = t->any_waiters) {
    any_wait* w = e->wait;
    JMPCO_ASSERT(w->waiter != nullptr);
    unlink_any_wait(w);  // e included: the wait wakes once, for the first of its tasks
    wake(w->waiter);
  }
}

}  // namespace

result<std::size_t> wait_for_any(const void* tasks, std::size_t count, task_at at) {
  task_node* self = running_task();
  const any_wait_targets seen = look_at_targets(tasks, count, at, self);
  if (seen.self_among) return error(errc::join_self);
  if (seen.mixed) return error(errc::mixed_schedulers);
  if (!seen.any) return error(errc::empty_handle);
  if (seen.finished) return result<std::size_t>(std::in_place, *seen.finished);
  JMPCO_ASSERT(seen.owner != nullptr);
  const bool parks = self != nullptr && self->owner == seen.owner;
  any_wait* w = new_any_wait(parks ? self : nullptr, tasks, count, at);
  if (w == nullptr) return error(errc::out_of_memory);
  if (parks) {
    error e = park_on_any_wait(self, w);
    if (e.code() == errc::closing) return e;  // killed: the kill freed `w`
    if (e) {                                  // it could not park
      free_any_wait(w);
      return e;
    }
  } else {
    // From here on the handles are not read: the tasks that run may move or destroy them.
    while (!first_finished(w)) {
      if (const errc stepped = seen.owner->step(); stepped != errc::ok) {
        free_any_wait(w);
        return error(stepped);
      }
    }
  }
  const std::optional<std::size_t> index = first_finished(w);
  if (!index) fail_fatally("a wait_any woke with none of its tasks finished");
  free_any_wait(w);
  return result<std::size_t>(std::in_place, *index);
}

}  // namespace detail

using detail::task_node;
using state = task_node::state;

void scheduler::follow_allocator() noexcept {
  const allocator installed = get_allocator();
  if (detail::same_allocator(cache_source_, installed)) return;
  trim_cache(0);
  cache_source_ = installed;
}

void* scheduler::take_cached(std::size_t size) noexcept {
  follow_allocator();
  for (cache_bucket& bucket : cache_) {
    if (bucket.size != size || bucket.blocks == nullptr) continue;
    cached_block* block = bucket.blocks;
    bucket.blocks = block->next;
    cached_bytes_ -= size;
    block->~cached_block();
    return block;
  }
  return nullptr;
}

bool scheduler::keep_cached(void* block, std::size_t size) noexcept {
  JMPCO_ASSERT(size >= sizeof(cached_block));
  follow_allocator();  // `block` is the installed allocator's: its task lived until now
  if (!cache_has_room(size)) return false;
  cache_bucket* home = nullptr;
  for (cache_bucket& bucket : cache_) {
    if (bucket.size == size) {
      home = &bucket;
      break;
    }
    if (home == nullptr && bucket.blocks == nullptr) home = &bucket;  // an empty one to take
  }
  if (home == nullptr) return false;  // every list holds blocks of other sizes
  home->size = size;
  home->blocks = ::new (block) cached_block{home->blocks, size};
  cached_bytes_ += size;
  return true;
}

void scheduler::keep_stack_copy(void* block, std::size_t size) noexcept {
  JMPCO_ASSERT(size >= sizeof(cached_block));
  follow_allocator();
  if (!cache_has_room(size)) return detail::deallocate(block, size);
  stack_copies_ = ::new (block) cached_block{stack_copies_, size};
  cached_bytes_ += size;
}

void* scheduler::take_stack_copy(std::size_t* size) noexcept {
  cached_block* block = stack_copies_;
  if (block == nullptr) return nullptr;
  stack_copies_ = block->next;
  *size = block->size;
  cached_bytes_ -= block->size;
  block->~cached_block();
  return block;
}

void scheduler::trim_cache(std::size_t limit) noexcept {
  while (cached_bytes_ > limit && stack_copies_ != nullptr) {
    std::size_t size = 0;
    void* block = take_stack_copy(&size);
    detail::deallocate_to(cache_source_, block, size);
  }
  for (cache_bucket& bucket : cache_) {
    while (cached_bytes_ > limit && bucket.blocks != nullptr) {
      cached_block* block = bucket.blocks;
      bucket.blocks = block->next;
      cached_bytes_ -= bucket.size;
      block->~cached_block();
      detail::deallocate_to(cache_source_, block, bucket.size);
    }
  }
  JMPCO_ASSERT(cached_bytes_ <= limit);
}

void scheduler::set_cache_limit(std::size_t bytes) noexcept {
  cache_limit_ = bytes;
  trim_cache(bytes);
}

// ---- timers: a pairing heap ordered by deadline ------------------------------------------------

struct timer_heap {
  // `b` becomes the first child of `a` (a's deadline is not later).
  static task_node* meld(task_node* a, task_node* b) noexcept {
    if (a == nullptr) return b;
    if (b == nullptr) return a;
    if (b->deadline < a->deadline) std::swap(a, b);
    b->timer_prev = a;
    b->timer_sibling = a->timer_child;
    if (a->timer_child != nullptr) a->timer_child->timer_prev = b;
    a->timer_child = b;
    return a;
  }

  // The two-pass merge of a list of siblings into one heap.
  static task_node* merge_pairs(task_node* first) noexcept {
    task_node* pairs = nullptr;  // melded pairs, linked through timer_sibling_, last pair first
    while (first != nullptr) {
      task_node* a = first;
      task_node* b = a->timer_sibling;
      first = b != nullptr ? b->timer_sibling : nullptr;
      detach(a);
      if (b != nullptr) detach(b);
      task_node* pair = meld(a, b);
      pair->timer_sibling = pairs;
      pairs = pair;
    }
    task_node* heap = nullptr;
    while (pairs != nullptr) {
      task_node* next = pairs->timer_sibling;
      pairs->timer_sibling = nullptr;
      heap = meld(heap, pairs);
      pairs = next;
    }
    if (heap != nullptr) heap->timer_prev = nullptr;
    return heap;
  }

  static void detach(task_node* t) noexcept {
    t->timer_sibling = nullptr;
    t->timer_prev = nullptr;
  }
};

void scheduler::add_timer(task_node* t) noexcept {
  JMPCO_ASSERT(!t->timed);
  t->timer_child = t->timer_sibling = t->timer_prev = nullptr;
  timers_ = timer_heap::meld(timers_, t);
  timers_->timer_prev = nullptr;
  t->timed = true;
}

void scheduler::remove_timer(task_node* t) noexcept {
  JMPCO_ASSERT(t->timed);
  task_node* children = timer_heap::merge_pairs(t->timer_child);
  if (t == timers_) {
    timers_ = children;
  } else {
    // Cut `t` out of its sibling list (its prev is its parent when it is the first child).
    if (t->timer_prev->timer_child == t)
      t->timer_prev->timer_child = t->timer_sibling;
    else
      t->timer_prev->timer_sibling = t->timer_sibling;
    if (t->timer_sibling != nullptr) t->timer_sibling->timer_prev = t->timer_prev;
    timers_ = timer_heap::meld(timers_, children);
  }
  t->timer_child = t->timer_sibling = t->timer_prev = nullptr;
  t->timed = false;
}

void scheduler::wake_due_timers(clock::time_point now) noexcept {
  while (timers_ != nullptr && timers_->deadline <= now) {
    task_node* t = timers_;
    remove_timer(t);
    detail::wake(t);
  }
}

std::optional<scheduler::clock::time_point> scheduler::next_deadline() const noexcept {
  if (timers_ == nullptr) return std::nullopt;
  return timers_->deadline;
}

// ---- waiting ----------------------------------------------------------------------------------

void scheduler::interrupt() noexcept {
  // Sequentially consistent, as block_until's: either this sees the event_wait it makes, or
  // block_until sees the flag (and does not block).
  interrupted_.store(true);
  if (detail::event_wait* w = events_.load()) detail::interrupt_event_wait(w);
}

detail::event_wait* scheduler::event_wait() noexcept {
  detail::event_wait* w = events_.load(std::memory_order_relaxed);
  if (w == nullptr) {
    w = detail::make_event_wait();
    events_.store(w);
  }
  return w;
}

void scheduler::block_until(const clock::time_point* deadline) noexcept {
  detail::event_wait* w = event_wait();
  if (interrupted_.exchange(false)) return;  // it came while the scheduler was not waiting
  if (w == nullptr) return nap_until(deadline);
  detail::block(w, fds_, fds_size_, deadline, &scheduler::on_fd_event, this);
  // What interrupted this wait is seen; a later interrupt() also leaves the event_wait signalled.
  interrupted_.store(false);
}

void scheduler::poll_fds_now() noexcept {
  const clock::time_point now = clock::now();
  detail::event_wait* w = events_.load(std::memory_order_relaxed);
  if (w != nullptr) detail::block(w, fds_, fds_size_, &now, &scheduler::on_fd_event, this);
}

void scheduler::nap_until(const clock::time_point* deadline) noexcept {
  constexpr auto slice = std::chrono::milliseconds(1);
  while (!interrupted_.load()) {
    const clock::time_point now = clock::now();
    if (deadline != nullptr && now >= *deadline) return;
    const clock::time_point until =
        deadline != nullptr && *deadline - now < slice ? *deadline : now + slice;
#if JMPCO_THREADS
    std::this_thread::sleep_until(until);
#else
    while (clock::now() < until && !interrupted_.load()) {
    }
#endif
  }
  interrupted_.store(false);
}

// ---- waiting for file descriptors --------------------------------------------------------------

namespace {

constexpr unsigned fd_released = 8;  // fd_outcome: release_fd() ended the wait

task_node*& fd_waiters(detail::fd_watch& watch) noexcept {
  return reinterpret_cast<task_node*&>(watch.waiters);
}

unsigned wanted_by(const task_node* waiters) noexcept {
  unsigned events = 0;
  for (const task_node* t = waiters; t != nullptr; t = t->fd_next) events |= t->fd_wanted;
  return events;
}

}  // namespace

error scheduler::start_waiting_fd(task_node* t, int fd, unsigned events) noexcept {
  detail::event_wait* w = event_wait();
  if (w == nullptr) return error(errc::out_of_memory);
  if (fd < 0) return error(errc::bad_fd);
  const auto index = static_cast<std::size_t>(fd);
  const unsigned was = index < fds_size_ ? fds_[index].events : 0;
  const errc watched = detail::watch_fd(w, fd, was, was | events);
  if (watched != errc::ok) return error(watched);  // would_block: always ready
  if (index >= fds_size_) {                        // grow the table (doubling) to hold `fd`
    std::size_t size = fds_size_ == 0 ? 64 : fds_size_;
    while (size <= index) size *= 2;
    const allocator installed = get_allocator();
    auto* grown = static_cast<detail::fd_watch*>(
        detail::allocate_from(installed, sizeof(detail::fd_watch) * size));
    if (grown == nullptr) {
      (void)detail::watch_fd(w, fd, was | events, was);
      return error(errc::out_of_memory);
    }
    for (std::size_t i = 0; i < size; ++i)
      ::new (&grown[i]) detail::fd_watch(i < fds_size_ ? fds_[i] : detail::fd_watch());
    if (fds_ != nullptr)
      detail::deallocate_to(fds_source_, fds_, sizeof(detail::fd_watch) * fds_size_);
    fds_ = grown;
    fds_source_ = installed;
    fds_size_ = size;
  }
  detail::fd_watch& watch = fds_[index];
  watch.events = was | events;
  task_node*& head = fd_waiters(watch);
  t->wait_fd = fd;
  t->fd_wanted = events;
  t->fd_outcome = 0;
  t->fd_prev = nullptr;
  t->fd_next = head;
  if (head != nullptr) head->fd_prev = t;
  head = t;
  ++fd_waiters_;
  return error();
}

void scheduler::stop_waiting_fd(task_node* t) noexcept {
  JMPCO_ASSERT(t->wait_fd >= 0 && static_cast<std::size_t>(t->wait_fd) < fds_size_);
  detail::fd_watch& watch = fds_[t->wait_fd];
  if (t->fd_prev != nullptr)
    t->fd_prev->fd_next = t->fd_next;
  else
    fd_waiters(watch) = t->fd_next;
  if (t->fd_next != nullptr) t->fd_next->fd_prev = t->fd_prev;
  const unsigned left = wanted_by(fd_waiters(watch));
  // Watching for less cannot fail for want of memory; if it fails, extra events only wake nobody.
  if (left != watch.events)
    (void)detail::watch_fd(events_.load(std::memory_order_relaxed), t->wait_fd, watch.events, left);
  watch.events = left;
  t->wait_fd = -1;
  t->fd_next = t->fd_prev = nullptr;
  --fd_waiters_;
}

void scheduler::on_fd_event(void* self, int fd, unsigned events) noexcept {
  auto* s = static_cast<scheduler*>(self);
  if (fd < 0 || static_cast<std::size_t>(fd) >= s->fds_size_) return;
  // An invalid fd (poll's POLLNVAL) ends every wait on it.
  const unsigned wakes = (events & detail::fd_invalid) != 0 ? ~0u : events;
  for (task_node* t = fd_waiters(s->fds_[fd]); t != nullptr; t = t->fd_next) {
    if ((t->fd_wanted & wakes) == 0) continue;
    t->fd_outcome |= events;
    detail::wake(t);
  }
}

std::size_t scheduler::release_fd(int fd) noexcept {
  if (fd < 0 || static_cast<std::size_t>(fd) >= fds_size_) return 0;
  std::size_t released = 0;
  for (task_node* t = fd_waiters(fds_[fd]); t != nullptr; t = t->fd_next) {
    t->fd_outcome |= fd_released;
    detail::wake(t);
    ++released;
  }
  // Off the wait's set now, before the fd's number can be another file's.
  while (task_node* t = fd_waiters(fds_[fd])) stop_waiting_fd(t);
  return released;
}

std::size_t scheduler::watched_fds(fd_interest* out, std::size_t max) const noexcept {
  std::size_t count = 0;
  for (std::size_t fd = 0; fd < fds_size_; ++fd) {
    const unsigned events = fds_[fd].events;
    if (events == 0) continue;
    if (count < max) out[count] = {static_cast<int>(fd), static_cast<fd_event>(events)};
    ++count;
  }
  return count;
}

// ---- the run queue ----------------------------------------------------------------------------

void scheduler::push_ready(task_node* t) noexcept {
  t->next_ready = nullptr;
  if (ready_tail_ != nullptr)
    ready_tail_->next_ready = t;
  else
    ready_head_ = t;
  ready_tail_ = t;
}

void scheduler::push_ready_first(task_node* t) noexcept {
  t->next_ready = ready_head_;
  ready_head_ = t;
  if (ready_tail_ == nullptr) ready_tail_ = t;
}

task_node* scheduler::pop_ready() noexcept {
  task_node* t = ready_head_;
  if (t == nullptr) return nullptr;
  ready_head_ = t->next_ready;
  if (ready_head_ == nullptr) ready_tail_ = nullptr;
  t->next_ready = nullptr;
  return t;
}

void scheduler::unlink_ready(task_node* t) noexcept {
  task_node* before = nullptr;
  for (task_node* at = ready_head_; at != nullptr; before = at, at = at->next_ready) {
    if (at != t) continue;
    if (before != nullptr)
      before->next_ready = t->next_ready;
    else
      ready_head_ = t->next_ready;
    if (ready_tail_ == t) ready_tail_ = before;
    t->next_ready = nullptr;
    return;
  }
}

// ---- tasks ------------------------------------------------------------------------------------

void scheduler::adopt(task_node* t) noexcept {
  t->all_next = all_;
  if (all_ != nullptr) all_->all_prev = t;
  all_ = t;
  ++live_;
  push_ready(t);
}

errc scheduler::resume(task_node* t) noexcept {
  const in_use_scope in_use(this);
  const detail::running_slot outer = detail::running_now;
  detail::running_now = {t, this};
  t->current = state::running;
  result<void> outcome = detail::resume_body(t->body);
  detail::running_now = outer;
  if (t->body->status() == status::dead) {
    if (!outcome) t->failure = outcome.error();
    finish(t);
    return errc::ok;
  }
  if (!outcome) {
    // The resume was refused (too deeply nested, no memory to save the resumer's frames): the
    // task did not run. It waits, first in line, for a run from a place where it can.
    t->current = state::ready;
    push_ready_first(t);
    return outcome.code();
  }
  // Suspended without parking (a plain yield of its coroutine): it is ready again.
  if (t->current == state::running) {
    t->current = state::ready;
    push_ready(t);
  }
  return errc::ok;
}

void scheduler::finish(task_node* t) noexcept {
  JMPCO_ASSERT(!t->finished());
  t->current = state::finished;
  --live_;
  while (task_node* joiner = t->joiners) {
    t->joiners = joiner->next_joiner;
    joiner->next_joiner = nullptr;
    joiner->joining = nullptr;
    detail::wake(joiner);
  }
  detail::wake_any_waiters(t);
  detail::release_task(t);  // the scheduler's reference
}

void scheduler::abandon_waits(task_node* t) noexcept {
  if (t->timed) remove_timer(t);
  if (t->wait_fd >= 0) stop_waiting_fd(t);
  detail::stop_joining(t);
  if (t->abandon_wait != nullptr) {
    auto* abandon = std::exchange(t->abandon_wait, nullptr);
    abandon(std::exchange(t->wait, nullptr));
  }
}

void scheduler::kill(task_node* t) noexcept {
  JMPCO_ASSERT(!t->finished() && t->current != state::running);
  const in_use_scope in_use(this);
  if (t->current == state::ready) unlink_ready(t);
  abandon_waits(t);
  // Its destructors run as the task: what they ask of the scheduler is asked by it.
  const detail::running_slot outer = detail::running_now;
  detail::running_now = {t, this};
  t->current = state::running;
  (void)t->body->close_core();
  detail::running_now = outer;
  t->failure = error(errc::killed);
  finish(t);
}

void scheduler::report_unjoined(const error& e) noexcept {
  ++unjoined_failures_;
  if (failure_handler_ != nullptr) failure_handler_(e, failure_user_);
}

// ---- wakes from other threads ----------------------------------------------------------------

void scheduler::take_remote_wakes() noexcept {
#if JMPCO_THREADS
  if (!remote_pending_.load(std::memory_order_acquire)) return;
  const std::lock_guard<std::mutex> hold(remote_lock_);
  while (task_node* t = remote_head_) {
    remote_head_ = t->next_remote;
    t->next_remote = nullptr;
    t->remote_queued = false;
    detail::wake(t);
  }
  remote_tail_ = nullptr;
  remote_pending_.store(false, std::memory_order_relaxed);
#endif
}

#if JMPCO_THREADS
namespace detail {

void wake_from_any_thread(task_node* t) noexcept {
  scheduler* home = t->owner;
  JMPCO_ASSERT(home != nullptr);
  if (running_now.owner == home) return wake(t);  // its own thread, inside one of its tasks
  const std::lock_guard<std::mutex> hold(home->remote_lock_);
  JMPCO_ASSERT(!t->remote_queued);
  t->remote_queued = true;
  if (home->remote_tail_ != nullptr)
    home->remote_tail_->next_remote = t;
  else
    home->remote_head_ = t;
  home->remote_tail_ = t;
  home->remote_pending_.store(true, std::memory_order_release);
  home->interrupt();  // under the lock: the scheduler's destructor waits for it
}

void withdraw_remote_wake(task_node* t) noexcept {
  scheduler* home = t->owner;
  const std::lock_guard<std::mutex> hold(home->remote_lock_);
  if (!t->remote_queued) return;
  task_node* before = nullptr;
  for (task_node* at = home->remote_head_; at != t; before = at, at = at->next_remote) {
    JMPCO_ASSERT(at != nullptr);
  }
  (before != nullptr ? before->next_remote : home->remote_head_) = t->next_remote;
  if (home->remote_tail_ == t) home->remote_tail_ = before;
  t->next_remote = nullptr;
  t->remote_queued = false;
}

void count_remote_wait(task_node* t, int delta) noexcept {
  JMPCO_ASSERT(delta > 0 || t->owner->remote_waits_ > 0);
  t->owner->remote_waits_ += static_cast<std::size_t>(static_cast<std::ptrdiff_t>(delta));
}

}  // namespace detail
#endif

// ---- running ----------------------------------------------------------------------------------

bool scheduler::has_started_tasks() const noexcept {
  for (const task_node* t = all_; t != nullptr; t = t->all_next) {
    if (!t->finished() && t->body->started()) return true;
  }
  return false;
}

bool scheduler::on_its_thread() const noexcept {
#if JMPCO_THREADS
  const detail::thread_state* here = detail::this_thread_state_if_any();
  return here != nullptr && here->id == thread_;
#else
  return true;
#endif
}

errc scheduler::take_thread() noexcept {
  if (on_its_thread()) return errc::ok;
  if (has_started_tasks()) return errc::wrong_thread;
#if JMPCO_THREADS
  thread_ = detail::this_thread_state().id;
#endif
  return errc::ok;
}

errc scheduler::may_run() noexcept {
  if (const errc e = take_thread(); e != errc::ok) return e;
  if (in_use_ != 0) return errc::scheduler_running;
  if (detail::inside_value_move()) return errc::inside_value_move;
  return errc::ok;
}

errc scheduler::step() {
  if (const errc e = take_thread(); e != errc::ok) return e;
  take_remote_wakes();
  if (timers_ != nullptr) wake_due_timers(clock::now());
  if (task_node* t = pop_ready()) return resume(t);
  if (timers_ != nullptr || fd_waiters_ != 0) {
    block_until(timers_ != nullptr ? &timers_->deadline : nullptr);
    wake_due_timers(clock::now());
    return errc::ok;
  }
#if JMPCO_THREADS
  if (remote_waits_ != 0) {  // another thread will wake a task: wait for its interrupt()
    block_until(nullptr);
    return errc::ok;
  }
#endif
  return errc::deadlock;  // nothing to do: a deadlock if tasks are left
}

result<void> scheduler::run() {
  if (const errc e = may_run(); e != errc::ok) return error(e);
  errc stepped = errc::ok;
  while (stepped == errc::ok) stepped = step();
  if (stepped != errc::deadlock) return error(stepped);  // a refusal
  if (live_ != 0) return error(errc::deadlock);
  return result<void>();
}

std::size_t scheduler::run_once() {
  if (may_run() != errc::ok) return 0;
  take_remote_wakes();
  if (timers_ != nullptr) wake_due_timers(clock::now());
  // Only the tasks ready now: one that becomes ready meanwhile waits for the next call.
  std::size_t ready = 0;
  for (task_node* t = ready_head_; t != nullptr; t = t->next_ready) ++ready;
  // A task may kill others that were ready: the queue can run short.
  std::size_t ran = 0;
  for (; ran < ready; ++ran) {
    task_node* t = pop_ready();
    if (t == nullptr || resume(t) != errc::ok) break;
  }
  return ran;
}

std::size_t scheduler::run_once(clock::duration timeout) {
  if (may_run() != errc::ok) return 0;
  take_remote_wakes();
  if (timers_ != nullptr) wake_due_timers(clock::now());
  if (ready_head_ == nullptr) {
    clock::time_point until = detail::deadline_after(timeout);
    if (timers_ != nullptr && timers_->deadline < until) until = timers_->deadline;
    block_until(&until);
  }
  return run_once();
}

scheduler* scheduler::current() noexcept {
  return detail::running_task() != nullptr ? detail::running_now.owner : nullptr;
}

scheduler::~scheduler() {
  if (in_use_ != 0) {
    for (task_node* t = all_; t != nullptr; t = t->all_next) {
      if (t->current == state::running)
        detail::fail_fatally("a scheduler was destroyed by one of its own tasks");
    }
    detail::fail_fatally(
        "a scheduler was destroyed by code it called (a finished task's destructors or its "
        "unjoined-failure handler)");
  }
  if (!on_its_thread() && has_started_tasks())
    detail::fail_fatally("a scheduler was destroyed on another thread than its started tasks'");
  // Kill the unfinished tasks; a killed task's destructors may spawn or finish others.
  for (;;) {
    task_node* unfinished = all_;
    while (unfinished != nullptr && unfinished->finished()) unfinished = unfinished->all_next;
    if (unfinished == nullptr) break;
    kill(unfinished);
  }
  // Zombies whose handles outlive the scheduler: their handles see that it is gone.
  for (task_node* t = all_; t != nullptr;) {
    task_node* next = t->all_next;
    t->owner = nullptr;
    t->all_prev = t->all_next = nullptr;
    t = next;
  }
  all_ = nullptr;
#if JMPCO_THREADS
  // The kills withdrew every remote wait; a thread still inside wake_from_any_thread (in its
  // interrupt()) holds the lock: let it finish before the wait it interrupts goes.
  { const std::lock_guard<std::mutex> hold(remote_lock_); }
  JMPCO_ASSERT(remote_waits_ == 0 && remote_head_ == nullptr);
#endif
  JMPCO_ASSERT(fd_waiters_ == 0);
  trim_cache(0);  // after the kills: the killed tasks' memory came back into it
  if (fds_ != nullptr)
    detail::deallocate_to(fds_source_, fds_, sizeof(detail::fd_watch) * fds_size_);
  if (detail::event_wait* w = events_.exchange(nullptr)) detail::free_event_wait(w);
  *static_cast<volatile unsigned*>(&present_) = 0;  // volatile: kept past the lifetime's end
}

// ---- inside a task ----------------------------------------------------------------------------

namespace this_task {

result<void> yield() {
  if (error e = detail::park_running_task(true); e) return e;
  return result<void>();
}

result<void> sleep_until(scheduler::clock::time_point deadline) {
  task_node* self = detail::running_task();
  if (self == nullptr) return error(errc::outside_task);
  self->deadline = deadline;
  self->owner->add_timer(self);
  error e = detail::park_running_task();
  if (e && e.code() != errc::closing && self->timed) self->owner->remove_timer(self);
  if (e) return e;
  return result<void>();
}

result<fd_event> wait_fd(int fd, fd_event events, const scheduler::clock::duration* timeout) {
  task_node* self = detail::running_task();
  if (self == nullptr) return error(errc::outside_task);
  const auto wanted = static_cast<unsigned>(events) & static_cast<unsigned>(fd_event::both);
  if (wanted == 0) return error(errc::bad_fd);  // nothing to wait for
  scheduler* s = self->owner;
  if (!detail::event_wait_has_fds()) return error(errc::unsupported_platform);
  if (error e = s->start_waiting_fd(self, fd, wanted); e) {
    if (e.code() == errc::would_block)
      return result<fd_event>(std::in_place, static_cast<fd_event>(wanted));  // always ready
    return e;
  }
  error e;
  if (timeout != nullptr && *timeout <= scheduler::clock::duration::zero()) {
    s->poll_fds_now();  // a look without parking: fd_outcome gets what is there now
  } else {
    if (timeout != nullptr) {
      self->deadline = detail::deadline_after(*timeout);
      s->add_timer(self);
    }
    e = detail::park_running_task();
    if (e.code() == errc::closing) return e;  // killed: the kill stopped the wait
    if (self->timed) s->remove_timer(self);
  }
  if (self->wait_fd >= 0) s->stop_waiting_fd(self);
  if (e) return e;
  const unsigned outcome = self->fd_outcome;
  if ((outcome & fd_released) != 0) return error(errc::fd_closed);
  if ((outcome & detail::fd_invalid) != 0) return error(errc::bad_fd);
  if (outcome == 0) return error(errc::timed_out);
  return result<fd_event>(std::in_place, static_cast<fd_event>(outcome & wanted));
}

}  // namespace this_task

}  // namespace jmpco

// ---- channel waiters and select -----------------------------------------------------------------

namespace jmpco {
namespace detail {

void link_waiter(channel_waiter_base*& list, channel_waiter_base* w) noexcept {
  JMPCO_ASSERT(w->list == nullptr && w->next == nullptr && w->prev == nullptr);
  w->list = &list;
  channel_waiter_base** at = &list;
  while (*at != nullptr) {
    w->prev = *at;
    at = &(*at)->next;
  }
  *at = w;
}

void unlink_waiter(channel_waiter_base* w) noexcept {
  JMPCO_ASSERT(w->list != nullptr);
  if (w->prev != nullptr)
    w->prev->next = w->next;
  else
    *w->list = w->next;
  if (w->next != nullptr) w->next->prev = w->prev;
  w->prev = w->next = nullptr;
  w->list = nullptr;
}

// A waiter whose handoff failed stays on its list (skipped by firers, see claim_waiter), and so
// do its select's other cases, until its task takes them off to look again: a close or the
// destruction of their channels meanwhile must find them and leave them `closed`.
void fire_waiter(channel_waiter_base* w) noexcept {
  select_group* group = w->group;
  if (group != nullptr) {
    JMPCO_ASSERT(group->claimed.load(std::memory_order_relaxed) && group->fired == nullptr);
    group->fired = w;
  }
  if (!w->handoff_failed) {
    unlink_waiter(w);
    // Its select's cases on this thread's channels go now; those on shared channels when its
    // task runs.
    for (channel_waiter_base* other = group != nullptr ? group->cases : nullptr; other != nullptr;
         other = other->next_case) {
      if (other->shared == nullptr && other->list != nullptr) unlink_waiter(other);
    }
  }
  wake(w->task);
}

#if JMPCO_THREADS
void fire_waiter_any_thread(channel_waiter_base* w) noexcept {
  if (!w->handoff_failed) unlink_waiter(w);  // as in fire_waiter
  if (select_group* group = w->group) {
    JMPCO_ASSERT(group->claimed.load(std::memory_order_relaxed) && group->fired == nullptr);
    group->fired = w;
  }
  wake_from_any_thread(w->task);
}
#endif

error park_on(task_node* self, void* wait, void (*abandon)(void* wait) noexcept) {
  JMPCO_ASSERT(self->wait == nullptr && self->abandon_wait == nullptr);
  self->wait = wait;
  self->abandon_wait = abandon;
  error e = park_running_task();
  if (e.code() == errc::closing) return e;  // killed: the kill called `abandon`
  self->wait = nullptr;
  self->abandon_wait = nullptr;
  return e;
}

select_group* new_select_group(task_node* self) noexcept {
  void* memory = allocate(sizeof(select_group));
  if (memory == nullptr) return nullptr;
  return ::new (memory) select_group(self);
}

void withdraw_select_group(select_group* group) noexcept {
  for (channel_waiter_base* w = group->cases; w != nullptr; w = w->next_case) {
#if JMPCO_THREADS
    if (w->shared != nullptr) {
      // Taken even when `w` is off its list: a firer that took it off may still be handing it
      // a value, under this lock.
      const std::lock_guard<std::mutex> hold(w->shared->lock);
      if (w->list != nullptr) unlink_waiter(w);
      continue;
    }
#endif
    if (w->list != nullptr) unlink_waiter(w);
  }
}

void free_select_group(select_group* group) noexcept {
  withdraw_select_group(group);
  for (channel_waiter_base* w = group->cases; w != nullptr;) {
    channel_waiter_base* next = w->next_case;
    shared_state_base* shared = w->shared;
    w->destroy(w);
#if JMPCO_THREADS
    if (shared != nullptr) shared->release();  // the channel's state may go with it
#else
    (void)shared;
#endif
    w = next;
  }
  group->~select_group();
  deallocate(group, sizeof(select_group));
}

void rearm_select_group(select_group* group) noexcept {
  for (channel_waiter_base* w = group->cases; w != nullptr; w = w->next_case) {
    JMPCO_ASSERT(w->list == nullptr);
    w->closed = false;
    w->handoff_failed = false;
  }
  group->fired = nullptr;
  group->claimed.store(false, std::memory_order_release);
}

void cancel_select_group(select_group* group) noexcept {
  group->claimed.store(true, std::memory_order_release);
  withdraw_select_group(group);
#if JMPCO_THREADS
  // A firer that claimed it before queued a wake; after the withdrawal (each lock taken once)
  // no firer is left inside, so the wake is in the queue or was taken.
  if (group->remote) withdraw_remote_wake(group->task);
#endif
  free_select_group(group);
}

namespace {

void count_select_wait(select_group* group, int delta) noexcept {
#if JMPCO_THREADS
  if (group->remote) count_remote_wait(group->task, delta);
#else
  (void)group;
  (void)delta;
#endif
}

}  // namespace

error park_on_select(task_node* self, select_group* group) {
  count_select_wait(group, +1);
  error e = park_on(self, group, [](void* wait) noexcept {
    auto* abandoned = static_cast<select_group*>(wait);
    count_select_wait(abandoned, -1);
    cancel_select_group(abandoned);
  });
  if (e.code() != errc::closing) count_select_wait(group, -1);  // else the kill counted it
  return e;
}

std::size_t select_random(std::size_t bound) noexcept {
  // xorshift64: cheap, and enough to give every ready case its turn.
#if JMPCO_THREADS
  thread_local std::uint64_t state = 0x9e3779b97f4a7c15u;
#else
  static std::uint64_t state = 0x9e3779b97f4a7c15u;
#endif
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return static_cast<std::size_t>(state % bound);
}

}  // namespace detail
}  // namespace jmpco
