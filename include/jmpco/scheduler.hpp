// SPDX-License-Identifier: MIT
// A scheduler of tasks on one thread, and Go-style channels between its tasks.
//
//   jmpco::scheduler s;
//   jmpco::channel<int> numbers(0);                     // unbuffered: a rendezvous, as in Go
//   auto producer = s.spawn([&] {
//     for (int i = 1; i <= 3; ++i) (void)numbers.send(i);
//     numbers.close();
//   });
//   auto consumer = s.spawn([&] {
//     int sum = 0;
//     while (auto v = numbers.recv()) sum += *v;        // ends with errc::channel_closed
//     return sum;
//   });
//   int sum = consumer.join().value();                  // runs the scheduler until it is done: 6
//
// Each task is a jmpco coroutine; the scheduler resumes the ready ones in turn. A task blocks
// (this_task::yield, sleep_for, a channel's send or recv, joining another task) by yielding back
// to the scheduler, which resumes it once it can go on. Everything is allocated with jmpco's
// allocator (set_allocator) and every failure is an error, never an abort; it works without
// exceptions (a killed task's stack is then discarded, as close() does).
#ifndef JMPCO_SCHEDULER_HPP
#define JMPCO_SCHEDULER_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <new>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "jmpco/allocator.hpp"
#include "jmpco/coroutine.hpp"
#include "jmpco/error.hpp"

#if JMPCO_THREADS
#include <thread>
#endif

namespace jmpco {

class scheduler;
template <class T>
class task;
template <class T>
class channel;

namespace detail {

struct event_wait;  // the blocking wait of a platform (lib/scheduler_wait.hpp)
struct fd_watch;

// A task as its scheduler sees it, whatever its result type: where it is (run queue, timer heap,
// a channel's waiters, another task's joiners) and what became of it. The scheduler's and the
// channels' bookkeeping, not an interface: only scheduler.hpp and scheduler.cpp touch it.
struct task_node {
  enum class state : unsigned char {
    ready,     // in the run queue
    running,   // the scheduler resumed it
    waiting,   // parked: sleeping, joining, or in a channel's waiter list
    finished,  // returned, failed or killed: a zombie until its handle collects it
  };

  explicit task_node(scheduler* owner) noexcept : owner(owner) {}
  task_node(const task_node&) = delete;
  task_node& operator=(const task_node&) = delete;

  bool finished() const noexcept { return current == state::finished; }
  // The task's coroutine: resumed by the scheduler, closed by kill().
  virtual coroutine<void()>& body() noexcept = 0;
  virtual void destroy() noexcept = 0;

  scheduler* owner;  // nullptr once the scheduler is gone
  state current = state::ready;
  error failure;
  unsigned references = 2;  // the scheduler's (until it finishes), its handle's, each join's
  bool collected = false;   // a join took the outcome
  void* holder = nullptr;   // the task<T> handle that holds it now (follows moves), or nullptr

  task_node* next_ready = nullptr;  // run queue
  task_node* all_prev = nullptr;    // every task of the scheduler, zombies included
  task_node* all_next = nullptr;

  // Timer heap (a pairing heap: insert and erase need no memory).
  std::chrono::steady_clock::time_point deadline{};
  task_node* timer_child = nullptr;
  task_node* timer_sibling = nullptr;
  task_node* timer_prev = nullptr;  // the parent of a first child, else the previous sibling
  bool timed = false;

  // Tasks waiting in join() for this one to finish, and the task this one waits for.
  task_node* joiners = nullptr;
  task_node* next_joiner = nullptr;
  task_node* joining = nullptr;

  // A channel wait to abandon if the task is killed while parked there.
  void (*abandon_wait)(void* wait) noexcept = nullptr;
  void* wait = nullptr;

  // Killed: the wait it was in returned errc::closing; later waits fail at once, and this many
  // of them (a loop that ignores the errors) get it unwound.
  bool kill_seen = false;
  unsigned char waits_after_kill = 0;

  // Waiting for a file descriptor: the fd (-1: none), what for, what came, and the other tasks
  // waiting on the same fd.
  int wait_fd = -1;
  unsigned fd_wanted = 0;
  unsigned fd_outcome = 0;
  task_node* fd_next = nullptr;
  task_node* fd_prev = nullptr;

 protected:
  virtual ~task_node() = default;
};

// The task running now (its coroutine is the running one), or nullptr.
JMPCO_API task_node* running_task() noexcept;
// Parks the running task until wake(); it must already be where a waker finds it (with `ready`,
// it is ready at once: the scheduler queues it again, as this_task::yield wants). Killed while
// parked, it returns errc::closing (with exceptions; without, the kill discards the stack and it
// never returns), and the caller must leave alone what the kill abandoned: nothing is thrown,
// as the wait may be in a destructor. Any other error: it could not park, runs on; a killed task
// that keeps waiting gets errc::yield_while_closing, and after kKilledTaskWaits of those, with no
// exception in flight, its wait is abandoned and the forced unwind thrown from here.
[[nodiscard]] JMPCO_API error park_running_task(bool ready = false);
JMPCO_API void wake(task_node* t) noexcept;
// Takes `t` off the joiner list of the task it waits for.
JMPCO_API void stop_joining(task_node* t) noexcept;
// Drops one reference; the last one frees the task, and reports a failure nobody collected to
// its scheduler's unjoined-failure handler.
JMPCO_API void release_task(task_node* t) noexcept;

}  // namespace detail

// What a task waits for on a file descriptor (this_task::wait_fd); or them together.
enum class fd_event : unsigned { readable = 1, writable = 2, both = 3 };

// A file descriptor tasks of a scheduler wait on, and for what (scheduler::watched_fds).
struct fd_interest {
  int fd;
  fd_event events;
};

namespace this_task {
JMPCO_API result<void> sleep_until(std::chrono::steady_clock::time_point deadline);
JMPCO_API result<fd_event> wait_fd(int fd, fd_event events,
                                   const std::chrono::steady_clock::duration* timeout);
}  // namespace this_task

// Runs tasks on the thread that calls run(), join() or run_once(). A scheduler belongs to one
// thread; tasks of different schedulers do not share channels.
class JMPCO_API scheduler {
 public:
  using clock = std::chrono::steady_clock;

  scheduler() noexcept = default;
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;
  // Kills every task that has not finished (their destructors run, with exceptions) and frees
  // every task whose handle is gone. Handles that outlive the scheduler see errc::killed.
  ~scheduler();

  // Starts fn(args...) as a task; it runs when the scheduler next runs. The result's handle is
  // empty (join() reports errc::out_of_memory) if the task could not be allocated.
  template <class F, class... A>
  auto spawn(F&& fn, A&&... args)
      -> task<std::invoke_result_t<std::decay_t<F>&, std::decay_t<A>&...>>;

  // Runs tasks until none is ready and no timer is pending: ok, or errc::deadlock when tasks are
  // left waiting for each other (or for channels nobody will use).
  result<void> run();
  // Resumes each task that is ready now once (and the sleepers whose time has come); returns how
  // many ran. For a loop of the program's own (an event library's), with next_deadline().
  std::size_t run_once();
  // When the earliest sleeper wakes, if any sleeps.
  std::optional<clock::time_point> next_deadline() const noexcept;
  // Tasks that have not finished.
  std::size_t live_tasks() const noexcept { return live_; }

  // A task that failed after its handle let go (detached, or destroyed without join) cannot hand
  // its error to anyone: it goes here. The default counts them (unjoined_failures()).
  using failure_handler = void (*)(const error& e, void* user);
  void on_unjoined_failure(failure_handler handler, void* user) noexcept {
    failure_handler_ = handler;
    failure_user_ = user;
  }
  std::size_t unjoined_failures() const noexcept { return unjoined_failures_; }

  // The scheduler whose task is running on this thread, or nullptr.
  static scheduler* current() noexcept;

  // ---- waiting: interrupt, file descriptors, a loop of the program's own ----------------------

  // Ends the scheduler's current blocking wait (for a timer or an fd, in run() or join()), or its
  // next one if it is not waiting now, so that it looks again at what is ready. Safe from any
  // thread, and from a signal handler on POSIX systems (not on Windows, where the wait is a
  // condition variable); the scheduler must outlive the call. The wait it ends (an eventfd on
  // Linux, a pipe elsewhere) is made the first time the scheduler blocks: a scheduler that never
  // waits allocates nothing for it.
  void interrupt() noexcept;

  // As run_once(), but when no task is ready it first blocks, for at most `timeout`, until a
  // sleeper's time comes, an fd a task waits for has an event, or interrupt() is called. Returns
  // how many tasks ran (0: the timeout passed, or an interrupt came with nothing to run).
  std::size_t run_once(clock::duration timeout);

  // Copies up to `max` of the fds its tasks wait on (this_task::wait_fd) to `out`, each with
  // what it is waited for; returns how many there are. For a loop of the program's own: watch
  // these (and next_deadline()), then run_once(clock::duration::zero()) when one has an event.
  std::size_t watched_fds(fd_interest* out, std::size_t max) const noexcept;

  // Call before closing an fd that tasks may wait on: they go on with errc::fd_closed. Returns
  // how many there were. (Closed without this, poll() reports the fd as errc::bad_fd, but epoll
  // forgets it silently: its waiters then wait for their timeout.)
  std::size_t release_fd(int fd) noexcept;

 private:
  template <class T>
  friend class task;
  friend void detail::wake(detail::task_node* t) noexcept;
  friend void detail::release_task(detail::task_node* t) noexcept;
  friend error detail::park_running_task(bool ready);
  friend result<void> this_task::sleep_until(clock::time_point deadline);

  // Runs one step: a ready task, or (none ready) waits for the next timer. False when nothing is
  // ready and no timer is pending.
  bool step();
  void resume(detail::task_node* t) noexcept;
  void finish(detail::task_node* t) noexcept;
  void adopt(detail::task_node* t) noexcept;
  void kill(detail::task_node* t) noexcept;
  // Takes a task out of its timer, join and channel waits.
  void abandon_waits(detail::task_node* t) noexcept;
  void push_ready(detail::task_node* t) noexcept;
  detail::task_node* pop_ready() noexcept;
  void unlink_ready(detail::task_node* t) noexcept;
  void add_timer(detail::task_node* t) noexcept;
  void remove_timer(detail::task_node* t) noexcept;
  void wake_due_timers(clock::time_point now) noexcept;
  void report_unjoined(const error& e) noexcept;

  // ---- waiting ----
  // Blocks until `deadline` (nullptr: until an interrupt or an fd event), an interrupt(), or an
  // event on an fd a task waits for (those tasks are then ready).
  void block_until(const clock::time_point* deadline) noexcept;
  // Without an event_wait (no memory or descriptors for one): sleeps in short slices, looking
  // at interrupted_ between them.
  void nap_until(const clock::time_point* deadline) noexcept;
  // Looks at the watched fds without blocking (their waiters with an event become ready).
  void poll_fds_now() noexcept;
  std::atomic<detail::event_wait*> events_{nullptr};  // made by the first block_until
  std::atomic<bool> interrupted_{false};              // an interrupt() not yet seen by a wait
  friend result<fd_event> this_task::wait_fd(int fd, fd_event events,
                                             const clock::duration* timeout);
  detail::event_wait* event_wait() noexcept;  // made on first use; nullptr without memory
  error start_waiting_fd(detail::task_node* t, int fd, unsigned events) noexcept;
  void stop_waiting_fd(detail::task_node* t) noexcept;
  static void on_fd_event(void* self, int fd, unsigned events) noexcept;
  detail::fd_watch* fds_ = nullptr;  // indexed by fd, grown on demand
  std::size_t fds_size_ = 0;
  std::size_t fd_waiters_ = 0;

  detail::task_node* ready_head_ = nullptr;
  detail::task_node* ready_tail_ = nullptr;
  detail::task_node* timers_ = nullptr;  // root of the pairing heap
  detail::task_node* all_ = nullptr;
  std::size_t live_ = 0;
  failure_handler failure_handler_ = nullptr;
  void* failure_user_ = nullptr;
  std::size_t unjoined_failures_ = 0;
};

namespace detail {

template <class T>
class task_state final : public task_node {
 public:
  template <class F, class Args>
  static task_state* create(scheduler* owner, F&& fn, Args&& args) {
    void* memory = allocate(sizeof(task_state));
    if (memory == nullptr) return nullptr;
    auto* state = ::new (memory) task_state(owner);
    // The body's copy or move may throw: then no task exists.
    struct free_unless_built {
      task_state* state;
      ~free_unless_built() {
        if (state != nullptr) state->destroy();
      }
    } guard{state};
    state->co_ = coroutine<void()>([state, fn = std::forward<F>(fn),
                                    args = std::forward<Args>(args)](yielder<void()>&) mutable {
      if constexpr (std::is_void_v<T>) {
        std::apply(fn, args);
        state->result_.put();
      } else {
        state->result_.put(std::apply(fn, args));
      }
    });
    if (!state->co_) return nullptr;  // the guard frees the state
    guard.state = nullptr;
    return state;
  }

  // The finished task's outcome, handed out once.
  result<T> take() {
    if (failure.code() != errc::ok) return failure;
    if (!result_.full()) return error(errc::killed);
    if constexpr (std::is_void_v<T>) {
      result_.take();
      return result<void>();
    } else {
      return result<T>(std::in_place, result_.take());
    }
  }

 private:
  explicit task_state(scheduler* owner) noexcept : task_node(owner) {}
  ~task_state() override = default;
  coroutine<void()>& body() noexcept override { return co_; }
  void destroy() noexcept override {
    this->~task_state();
    deallocate(this, sizeof(task_state));
  }

  coroutine<void()> co_;
  slot<T> result_;
};

}  // namespace detail

// The handle of a task: join() collects its result (a finished task whose handle still holds it
// is a zombie until then), kill() ends it, detach() lets it run on alone. Destroying a handle
// detaches the task.
template <class T>
class task {
 public:
  task() noexcept = default;
  task(task&& other) noexcept : state_(std::exchange(other.state_, nullptr)) { hold(); }
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      detach();
      state_ = std::exchange(other.state_, nullptr);
      hold();
    }
    return *this;
  }
  ~task() { detach(); }

  explicit operator bool() const noexcept { return state_ != nullptr; }
  bool done() const noexcept { return state_ == nullptr || state_->finished(); }

  // Waits for the task and hands out what it returned or the error it died with (errc::killed
  // if killed); the handle is empty afterwards. Inside a task of the same scheduler this blocks
  // that task; elsewhere it runs the scheduler until the task is done (errc::deadlock if it can
  // never be). A task joining itself gets errc::join_self. While a join waits, the handle may be
  // moved or destroyed (the join still gets the outcome) or joined again: the first join to go
  // on takes the outcome, the others get errc::empty_handle.
  result<T> join() {
    if (state_ == nullptr) return error(errc::empty_handle);
    detail::task_state<T>* t = state_;
    detail::task_node* self = detail::running_task();
    if (self == t) return error(errc::join_self);
    // From here on `this` is not touched: tasks run before the join goes on, and one of them
    // may move or destroy this handle. The join's own reference keeps the task.
    ++t->references;
    struct release_on_exit {
      detail::task_node* t;
      ~release_on_exit() { detail::release_task(t); }
    } release{t};
    if (t->owner != nullptr && !t->finished()) {
      if (self != nullptr && self->owner == t->owner) {
        if (error e = wait_inside(self, t); e) return e;
      } else {
        while (!t->finished()) {
          if (!t->owner->step()) return error(errc::deadlock);
        }
      }
    }
    return collect(t);
  }

  // Ends the task: a task that has not finished is closed and its join() reports errc::killed.
  // With exceptions, the wait it is in returns errc::closing (nothing is thrown: the wait may be
  // in a destructor) and the task should return; every later wait fails at once with
  // errc::yield_while_closing, and a task that ignores 16 of those is unwound by the forced
  // unwind. Every destructor on its stack runs. Without exceptions its stack is discarded. A task
  // cannot kill itself (errc::close_running) or a task that is running another
  // (errc::close_normal).
  result<void> kill() {
    if (state_ == nullptr) return error(errc::empty_handle);
    if (state_->finished() || state_->owner == nullptr) return result<void>();
    if (state_->current == detail::task_node::state::running) {
      return error(detail::running_task() == state_ ? errc::close_running : errc::close_normal);
    }
    state_->owner->kill(state_);
    return result<void>();
  }

  // Lets the task run on without a handle; an error it dies with goes to the scheduler's
  // unjoined-failure handler (unless a join still waiting for it takes it).
  void detach() noexcept {
    if (state_ == nullptr) return;
    detail::task_node* t = std::exchange(state_, nullptr);
    t->holder = nullptr;
    detail::release_task(t);
  }

 private:
  friend class scheduler;
  explicit task(detail::task_state<T>* state) noexcept : state_(state) { hold(); }

  void hold() noexcept {
    if (state_ != nullptr) state_->holder = this;
  }

  static error wait_inside(detail::task_node* self, detail::task_node* t) {
    if (t->finished()) return error();
    self->joining = t;
    self->next_joiner = t->joiners;
    t->joiners = self;
    error e = detail::park_running_task();
    if (e && e.code() != errc::closing) detail::stop_joining(self);
    return e;
  }

  // Takes the outcome once, and empties whichever handle holds the task now.
  static result<T> collect(detail::task_state<T>* t) {
    if (t->collected) return error(errc::empty_handle);
    t->collected = true;
    if (auto* holder = static_cast<task*>(t->holder)) {
      holder->state_ = nullptr;
      t->holder = nullptr;
      detail::release_task(t);  // the handle's reference; the join's keeps it for take()
    }
    return t->take();
  }

  detail::task_state<T>* state_ = nullptr;
};

template <class F, class... A>
auto scheduler::spawn(F&& fn, A&&... args)
    -> task<std::invoke_result_t<std::decay_t<F>&, std::decay_t<A>&...>> {
  using T = std::invoke_result_t<std::decay_t<F>&, std::decay_t<A>&...>;
  auto* state = detail::task_state<T>::create(this, std::forward<F>(fn),
                                              std::make_tuple(std::forward<A>(args)...));
  if (state == nullptr) return task<T>();
  adopt(state);
  return task<T>(state);
}

namespace this_task {
// Lets the other ready tasks run; errc::outside_task when no task is running.
JMPCO_API result<void> yield();
// sleep_until(deadline) (declared above) or sleep_for(duration): the scheduler runs other tasks
// meanwhile.
template <class Rep, class Period>
result<void> sleep_for(std::chrono::duration<Rep, Period> duration) {
  return sleep_until(scheduler::clock::now() +
                     std::chrono::duration_cast<scheduler::clock::duration>(duration));
}

// Waits until `fd` is readable or writable (`events`; an error or hang-up counts as both: the
// read or write that follows reports it), letting the other tasks run; gives what came. Other
// tasks may wait on the same fd. POSIX systems only (epoll on Linux, poll() elsewhere): on
// Windows and bare metal it is errc::unsupported_platform. Errors: errc::outside_task,
// errc::bad_fd (not open, or not a kind of file that can be waited for; a regular file is
// always ready), errc::fd_closed (scheduler::release_fd), errc::timed_out, errc::out_of_memory.
// A task killed while it waits stops waiting.
inline result<fd_event> wait_fd(int fd, fd_event events) { return wait_fd(fd, events, nullptr); }
template <class Rep, class Period>
result<fd_event> wait_fd(int fd, fd_event events, std::chrono::duration<Rep, Period> timeout) {
  const auto limit = std::chrono::duration_cast<scheduler::clock::duration>(timeout);
  return wait_fd(fd, events, &limit);
}
template <class... Timeout>
result<void> wait_readable(int fd, Timeout... timeout) {
  static_assert(sizeof...(Timeout) <= 1, "wait_readable(fd) or wait_readable(fd, timeout)");
  if (auto r = wait_fd(fd, fd_event::readable, timeout...); !r) return r.error();
  return result<void>();
}
template <class... Timeout>
result<void> wait_writable(int fd, Timeout... timeout) {
  static_assert(sizeof...(Timeout) <= 1, "wait_writable(fd) or wait_writable(fd, timeout)");
  if (auto r = wait_fd(fd, fd_event::writable, timeout...); !r) return r.error();
  return result<void>();
}
}  // namespace this_task

namespace detail {

// A task parked on a channel, with the value in transit: the sender's value waits here (never on
// the sender's stack, which is copied out while it is parked), and a receiver's value arrives
// here. Allocated when a task blocks; freed by the task when it goes on, or on kill.
template <class T>
class channel_waiter {
 public:
  task_node* task;
  channel_waiter* next = nullptr;
  channel_waiter* prev = nullptr;
  slot<T> value;
  bool closed = false;   // woken by close()
  void* list = nullptr;  // the waiter list it is in (for unlinking on kill)
};

}  // namespace detail

// A channel of T between the tasks of one scheduler, as Go's: `capacity` values are buffered
// (0: every send waits for a receiver). send and recv block the calling task; try_send and
// try_recv never block and work anywhere. After close(), receivers drain the buffer and then get
// errc::channel_closed; a send gets errc::channel_closed. Destroying a channel closes it.
template <class T>
class channel {
 public:
  explicit channel(std::size_t capacity) noexcept : capacity_(capacity) {
    if (capacity_ > static_cast<std::size_t>(-1) / sizeof(T)) {  // its size would wrap
      capacity_ = 0;
      broken_ = true;
    } else if (capacity_ != 0) {
      buffer_ = static_cast<T*>(detail::allocate(sizeof(T) * capacity_));
      if (buffer_ == nullptr) capacity_ = 0, broken_ = true;
    }
  }
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;
  ~channel() {
    (void)close();
    while (count_ != 0) pop_buffer();
    if (buffer_ != nullptr) detail::deallocate(buffer_, sizeof(T) * capacity_);
  }

  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t size() const noexcept { return count_; }
  bool closed() const noexcept { return closed_; }

  // Sends `v`, blocking the running task until a receiver or the buffer takes it.
  result<void> send(T v) {
    if (broken_) return error(errc::out_of_memory);
    if (closed_) return error(errc::channel_closed);
    if (offer(v)) return result<void>();
    detail::task_node* self = detail::running_task();
    if (self == nullptr) return error(errc::outside_task);
    auto* w = new_waiter(self);
    if (w == nullptr) return error(errc::out_of_memory);
    w->value.put(std::move(v));
    link(senders_, w);
    if (error e = park(self, w); e) return e;
    const bool closed = w->closed;
    free_waiter(w);
    if (closed) return error(errc::channel_closed);
    return result<void>();
  }

  // Receives a value, blocking the running task until one comes; errc::channel_closed once the
  // channel is closed and drained.
  result<T> recv() {
    if (broken_) return error(errc::out_of_memory);
    if (std::optional<T> v = take(); v) return result<T>(std::in_place, std::move(*v));
    if (closed_) return error(errc::channel_closed);
    detail::task_node* self = detail::running_task();
    if (self == nullptr) return error(errc::outside_task);
    auto* w = new_waiter(self);
    if (w == nullptr) return error(errc::out_of_memory);
    link(receivers_, w);
    if (error e = park(self, w); e) return e;
    struct free_on_exit {  // T's move may throw
      channel* ch;
      detail::channel_waiter<T>* w;
      ~free_on_exit() { ch->free_waiter(w); }
    } release{this, w};
    if (!w->value.full()) return error(errc::channel_closed);
    return result<T>(std::in_place, w->value.take());
  }

  // As send and recv, without blocking: errc::would_block when they would.
  result<void> try_send(T v) {
    if (broken_) return error(errc::out_of_memory);
    if (closed_) return error(errc::channel_closed);
    if (offer(v)) return result<void>();
    return error(errc::would_block);
  }
  result<T> try_recv() {
    if (broken_) return error(errc::out_of_memory);
    if (std::optional<T> v = take(); v) return result<T>(std::in_place, std::move(*v));
    return error(closed_ ? errc::channel_closed : errc::would_block);
  }

  // Closes the channel: waiting receivers and senders go on with errc::channel_closed (the values
  // of waiting senders are dropped, as their sends failed). Closing twice is errc::channel_closed.
  result<void> close() noexcept {
    if (closed_) return error(errc::channel_closed);
    closed_ = true;
    for (auto* list : {&receivers_, &senders_}) {
      while (detail::channel_waiter<T>* w = *list) {
        unlink(w);
        w->closed = true;
        w->value.clear();
        detail::wake(w->task);
      }
    }
    return result<void>();
  }

 private:
  using waiter = detail::channel_waiter<T>;

  // Hands `v` to a waiting receiver or the buffer; false if neither can take it now.
  bool offer(T& v) {
    if (waiter* r = receivers_) {
      r->value.put(std::move(v));  // may throw: the receiver then stays parked, v unsent
      unlink(r);
      detail::wake(r->task);
      return true;
    }
    if (count_ < capacity_) {
      ::new (static_cast<void*>(buffer_ + (head_ + count_) % capacity_)) T(std::move(v));
      ++count_;
      return true;
    }
    return false;
  }

  // Takes the next value: from the buffer (refilled from a waiting sender) or a waiting sender.
  std::optional<T> take() {
    if (count_ != 0) {
      std::optional<T> v(std::move(buffer_[head_]));
      pop_buffer();
      if (waiter* s = senders_) {
        ::new (static_cast<void*>(buffer_ + (head_ + count_) % capacity_)) T(s->value.take());
        ++count_;
        unlink(s);
        detail::wake(s->task);
      }
      return v;
    }
    if (waiter* s = senders_) {
      std::optional<T> v(s->value.take());
      unlink(s);
      detail::wake(s->task);
      return v;
    }
    return std::nullopt;
  }

  void pop_buffer() noexcept {
    buffer_[head_].~T();
    head_ = (head_ + 1) % capacity_;
    --count_;
  }

  waiter* new_waiter(detail::task_node* self) noexcept {
    void* memory = detail::allocate(sizeof(waiter));
    if (memory == nullptr) return nullptr;
    auto* w = ::new (memory) waiter();
    w->task = self;
    return w;
  }
  void free_waiter(waiter* w) noexcept {
    w->~waiter();
    detail::deallocate(w, sizeof(waiter));
  }

  static void link(waiter*& list, waiter* w) noexcept {  // at the back: first come, first served
    w->list = &list;
    waiter** at = &list;
    while (*at != nullptr) {
      w->prev = *at;
      at = &(*at)->next;
    }
    *at = w;
  }
  static void unlink(waiter* w) noexcept {
    auto*& list = *static_cast<waiter**>(w->list);
    if (w->prev != nullptr)
      w->prev->next = w->next;
    else
      list = w->next;
    if (w->next != nullptr) w->next->prev = w->prev;
    w->prev = w->next = nullptr;
    w->list = nullptr;
  }

  // Parks the running task on `w`. On a kill while parked the waiter is unlinked and freed first
  // (abandon), and the close's forced unwind (or, without exceptions, the discarded stack) ends
  // the task; the error comes back only for a park that could not happen.
  error park(detail::task_node* self, waiter* w) {
    self->wait = w;
    self->abandon_wait = [](void* wait) noexcept {
      auto* abandoned = static_cast<waiter*>(wait);
      if (abandoned->list != nullptr) unlink(abandoned);
      abandoned->~waiter();
      detail::deallocate(abandoned, sizeof(waiter));
    };
    error e = detail::park_running_task();
    if (e.code() == errc::closing) return e;  // killed: the kill freed `w`
    self->wait = nullptr;
    self->abandon_wait = nullptr;
    if (e) {  // it could not park: take the waiter back
      if (w->list != nullptr) unlink(w);
      free_waiter(w);
    }
    return e;
  }

  T* buffer_ = nullptr;
  std::size_t capacity_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  waiter* senders_ = nullptr;
  waiter* receivers_ = nullptr;
  bool closed_ = false;
  bool broken_ = false;  // its buffer could not be allocated
};

}  // namespace jmpco

#endif  // JMPCO_SCHEDULER_HPP
