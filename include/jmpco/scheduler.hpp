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
// to the scheduler, which resumes it once it can go on. select() waits on several channels (of
// either kind) at once; shared_channel<T> links schedulers on different threads (one per thread).
// Everything is allocated with jmpco's allocator (set_allocator) and every failure is an error,
// never an abort; it works without exceptions (a killed task's stack is then discarded, as close()
// does).
#ifndef JMPCO_SCHEDULER_HPP
#define JMPCO_SCHEDULER_HPP

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <new>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "jmpco/allocator.hpp"
#include "jmpco/coroutine.hpp"
#include "jmpco/error.hpp"

#if JMPCO_THREADS
#include <mutex>
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
struct task_node;
struct fd_watch;
struct any_wait_entry;  // a wait_any parked on a task (lib/scheduler.cpp)
struct task_access;

// A task's coroutine object, whatever its body: where its memory goes back when it is freed.
struct task_body_base : channel<void> {
  using coroutine_core::give_stack_copy;
  using coroutine_core::take_stack_copy;

  // The scheduler whose cache takes the memory back (release_task_body sets it when the object is
  // freed at once, while its scheduler exists); nullptr: straight back to the allocator.
  scheduler* home = nullptr;
};

// Memory for a task's blocks: from `s`'s cache of finished tasks' memory when it holds a block of
// that size, else from jmpco's allocator (s may be nullptr). `size` is what the caller needs;
// free_task_memory takes the same.
JMPCO_API void* allocate_task_memory(scheduler* s, std::size_t size) noexcept;
// Back into `s`'s cache, or to the allocator when the cache is off, full, or s is nullptr.
JMPCO_API void free_task_memory(scheduler* s, void* block, std::size_t size) noexcept;
// Lets go of a task's coroutine: its memory (and its stack copy's) goes to the task's scheduler's
// cache if it is freed now (it is dead), else to the allocator whenever its thread frees it.
JMPCO_API void release_task_body(task_node* t) noexcept;
// Gives a new task's coroutine the stack copy a finished task left in the cache, if any.
JMPCO_API void lend_stack_copy(task_node* t) noexcept;

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
  virtual void destroy() noexcept = 0;

  // The task's coroutine: resumed by the scheduler, closed by kill(), released with the task.
  task_body_base* body = nullptr;
  scheduler* owner;  // nullptr once the scheduler is gone
  state current = state::ready;
  error failure;
  unsigned references = 2;  // the scheduler's (until it finishes), its handle's, each join's
  bool collected = false;   // a join took the outcome
  // The address of the task<T> handle that holds it now (follows moves), or nullptr. Compared,
  // never written through: the handle may be on a parked task's saved stack.
  const void* holder = nullptr;

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
  // The wait_any calls parked on this task: the first to finish of theirs wakes them.
  any_wait_entry* any_waiters = nullptr;

  // A channel wait to abandon if the task is killed while parked there.
  void (*abandon_wait)(void* wait) noexcept = nullptr;
  void* wait = nullptr;

  // Killed: the wait it was in returned errc::closing; later waits fail at once, and this many
  // of them (2^20: a loop that ignores the errors) get it unwound.
  bool kill_seen = false;
  std::uint32_t waits_after_kill = 0;

  // Waiting for a file descriptor: the fd (-1: none), what for, what came, and the other tasks
  // waiting on the same fd.
  int wait_fd = -1;
  unsigned fd_wanted = 0;
  unsigned fd_outcome = 0;
  task_node* fd_next = nullptr;
  task_node* fd_prev = nullptr;

#if JMPCO_THREADS
  // Woken by another thread (a shared_channel): queued for its scheduler to pick up, under the
  // scheduler's remote lock.
  task_node* next_remote = nullptr;
  bool remote_queued = false;
#endif

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
// that waits again gets errc::yield_while_closing at once, and after 2^20 of those (a loop that
// ignores them), with no exception in flight, its wait is abandoned and the forced unwind thrown.
[[nodiscard]] JMPCO_API error park_running_task(bool ready = false);
// While a channel runs a value's move constructor or destructor (the user's code), the channel is
// half-changed (a slot being filled, a waiter claimed): until that returns, the thread may not
// wait, run its scheduler, kill a task or use a channel, which would switch to other tasks or come
// back into the channel. Those return errc::inside_value_move. Counted, as a value's destructor
// may destroy another channel, whose values' destructors run inside it.
JMPCO_API void enter_value_move() noexcept;
JMPCO_API void leave_value_move() noexcept;
JMPCO_API bool inside_value_move() noexcept;
struct value_move_scope {
  value_move_scope() noexcept { enter_value_move(); }
  ~value_move_scope() { leave_value_move(); }
  value_move_scope(const value_move_scope&) = delete;
  value_move_scope& operator=(const value_move_scope&) = delete;
};
// The scope a channel of T takes around its moves and destructions of values: none for a
// trivially copyable T, whose moves and destructor run no code of the user's.
struct no_value_move_scope {};
template <class T>
using value_move_scope_for =
    std::conditional_t<std::is_trivially_copyable_v<T>, no_value_move_scope, value_move_scope>;
// errc::inside_value_move for an operation begun inside a value's move or destructor.
inline error refuse_inside_value_move() noexcept {
  return inside_value_move() ? error(errc::inside_value_move) : error();
}

JMPCO_API void wake(task_node* t) noexcept;
// Takes `t` off the joiner list of the task it waits for.
JMPCO_API void stop_joining(task_node* t) noexcept;
// Drops one reference; the last one frees the task, and reports a failure nobody collected to
// its scheduler's unjoined-failure handler.
JMPCO_API void release_task(task_node* t) noexcept;

// The task at `index` of a wait_any's arguments (nullptr: an empty handle).
using task_at = task_node* (*)(const void* tasks, std::size_t index) noexcept;
// What jmpco::wait_any does for `count` tasks, read through `at` before anything runs.
JMPCO_API result<std::size_t> wait_for_any(const void* tasks, std::size_t count, task_at at);

#if JMPCO_THREADS
// Wakes `t` from any thread: at once on its own scheduler's thread, else through that
// scheduler's queue of remote wakes (and an interrupt of its wait). The caller holds what keeps
// `t` from being killed meanwhile (the lock of the shared channel it waits on).
JMPCO_API void wake_from_any_thread(task_node* t) noexcept;
// On `t`'s own thread: takes `t` back out of its scheduler's queue of remote wakes, if there.
JMPCO_API void withdraw_remote_wake(task_node* t) noexcept;
// On `t`'s own thread: one more (+1) or one fewer (-1) task of its scheduler waiting for another
// thread. A scheduler with such waits blocks, rather than reporting a deadlock, when idle.
JMPCO_API void count_remote_wait(task_node* t, int delta) noexcept;
#endif

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
// thread; tasks of schedulers on different threads talk through shared_channel (a channel<T>
// is for the tasks of one thread). Once a task has started, the scheduler belongs to the thread
// that started it until every started task has finished: run(), run_once(), join(), kill() and
// wait_any() from another thread get errc::wrong_thread (run_once(): 0) and change nothing; a
// scheduler with no started task left may move to another thread.
// The library keeps pointers to the scheduler (each task's, and the wakes of its tasks by
// channels, other tasks and timers): it must not live on a coroutine's stack (a task's local)
// while that coroutine is suspended and something else may wake one of its tasks, as a send on
// a channel shared with other tasks does; keep such a scheduler in the heap. (A wake that finds
// other data where the scheduler was is a fatal error; one that finds its stale bytes is lost.)
class JMPCO_API scheduler {
 public:
  using clock = std::chrono::steady_clock;

  scheduler() noexcept = default;
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;
  // Kills every task that has not finished (their destructors run, with exceptions) and frees
  // every task whose handle is gone. Handles that outlive the scheduler see errc::killed.
  // Fatal errors (a destructor cannot report one): destroying a scheduler from inside its own
  // work, that is by one of its tasks, or by code it calls (the destructors of a finished task's
  // function object and arguments, the unjoined-failure handler); and destroying it on another
  // thread than the one its started, unfinished tasks belong to.
  ~scheduler();

  // Starts fn(args...) as a task; it runs when the scheduler next runs. When the task cannot be
  // allocated (out of memory) the handle is empty: it converts to false, and its join() and
  // kill() report errc::empty_handle.
  template <class F, class... A>
  auto spawn(F&& fn, A&&... args)
      -> task<std::invoke_result_t<std::decay_t<F>&, std::decay_t<A>&...>>;

  // Runs tasks until none is ready and no timer is pending: ok, or errc::deadlock when tasks are
  // left waiting for each other (or for channels nobody will use). A task waiting on a
  // shared_channel may be woken by another thread: while one waits, an idle scheduler blocks
  // until then instead (a shared_channel that no thread will use again blocks it for good).
  // A task whose resume is refused (nested past the coroutine nesting limit, no memory to save
  // the caller's frames) stays ready and intact, and run() returns that error; so do join() and
  // wait_any() when they run the scheduler. From one of its own tasks (or code it calls), run()
  // and run_once() are refused: errc::scheduler_running (run_once(): 0).
  result<void> run();
  // Resumes each task that is ready now once (and the sleepers whose time has come); returns how
  // many ran. For a loop of the program's own (an event library's), with next_deadline(). It
  // stops at a task whose resume is refused (the task stays ready, first in line).
  std::size_t run_once();
  // When the earliest sleeper wakes, if any sleeps.
  std::optional<clock::time_point> next_deadline() const noexcept;
  // Tasks that have not finished.
  std::size_t live_tasks() const noexcept { return live_; }

  // A task that failed after its handle let go (detached, or destroyed without join) cannot hand
  // its error to anyone: it goes here. The default counts them (unjoined_failures()). The
  // handler is called from inside the scheduler's bookkeeping, which cannot be left half done:
  // it must not throw (noexcept) and must not destroy the scheduler.
  using failure_handler = void (*)(const error& e, void* user) noexcept;
  void on_unjoined_failure(failure_handler handler, void* user) noexcept {
    failure_handler_ = handler;
    failure_user_ = user;
  }
  std::size_t unjoined_failures() const noexcept { return unjoined_failures_; }

  // The scheduler whose task is running on this thread, or nullptr.
  static scheduler* current() noexcept;

  // ---- the cache of finished tasks' memory ----------------------------------------------------

  // A finished task's memory (its task block, its coroutine object, and the heap copy its stack
  // was saved to when it blocked) is kept for the next spawn, which reuses blocks of the sizes it
  // needs and the most recently kept stack copy (a copy that turns out too small is replaced as
  // before), up to cache_limit() bytes in all; the rest goes back to jmpco's allocator, as does
  // everything cached when the scheduler goes. 0 turns it off. Lowering the limit frees what is
  // over it at once. Nothing of a finished task survives in what is reused but its memory.
  static constexpr std::size_t default_cache_limit = std::size_t{256} * 1024;
  void set_cache_limit(std::size_t bytes) noexcept;
  std::size_t cache_limit() const noexcept { return cache_limit_; }
  // Bytes held in the cache now.
  std::size_t cached_bytes() const noexcept { return cached_bytes_; }

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
  friend result<std::size_t> detail::wait_for_any(const void* tasks, std::size_t count,
                                                  detail::task_at at);
  friend void* detail::allocate_task_memory(scheduler* s, std::size_t size) noexcept;
  friend void detail::free_task_memory(scheduler* s, void* block, std::size_t size) noexcept;
  friend void detail::release_task_body(detail::task_node* t) noexcept;
  friend void detail::lend_stack_copy(detail::task_node* t) noexcept;
  friend error detail::park_running_task(bool ready);
  friend result<void> this_task::sleep_until(clock::time_point deadline);
#if JMPCO_THREADS
  friend void detail::wake_from_any_thread(detail::task_node* t) noexcept;
  friend void detail::withdraw_remote_wake(detail::task_node* t) noexcept;
  friend void detail::count_remote_wait(detail::task_node* t, int delta) noexcept;
#endif

  // Runs one step: a ready task, or (none ready) waits for the next timer: errc::ok.
  // errc::deadlock when nothing is ready and no timer is pending; another error when the
  // scheduler belongs to another thread or a task's resume was refused (the task stays ready,
  // first in line). An errc, not an error: a step is on every join's path.
  errc step();
  // Resumes `t`; a refused resume (the code returned) leaves it ready, first in line.
  errc resume(detail::task_node* t) noexcept;
  // The scheduler belongs to the calling thread from now on, unless tasks that started on
  // another thread have not finished: errc::wrong_thread.
  errc take_thread() noexcept;
  bool on_its_thread() const noexcept;  // the calling thread is the one it belongs to now
  bool has_started_tasks() const noexcept;
  // run() and run_once() may go ahead: the calling thread's, not running already.
  errc may_run() noexcept;
  void finish(detail::task_node* t) noexcept;
  void adopt(detail::task_node* t) noexcept;
  void kill(detail::task_node* t) noexcept;
  // Takes a task out of its timer, join and channel waits.
  void abandon_waits(detail::task_node* t) noexcept;
  void push_ready(detail::task_node* t) noexcept;
  void push_ready_first(detail::task_node* t) noexcept;
  detail::task_node* pop_ready() noexcept;
  void unlink_ready(detail::task_node* t) noexcept;
  void add_timer(detail::task_node* t) noexcept;
  void remove_timer(detail::task_node* t) noexcept;
  void wake_due_timers(clock::time_point now) noexcept;
  void report_unjoined(const error& e) noexcept;
  // Moves the tasks other threads woke into the run queue.
  void take_remote_wakes() noexcept;

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
  allocator fds_source_ = get_allocator();  // the allocator that gave fds_
  std::size_t fd_waiters_ = 0;

#if JMPCO_THREADS
  std::mutex remote_lock_;                    // guards the queue of remote wakes
  detail::task_node* remote_head_ = nullptr;  // tasks woken by other threads, oldest first
  detail::task_node* remote_tail_ = nullptr;
  std::atomic<bool> remote_pending_{false};  // the queue is not empty (checked without lock)
  std::size_t remote_waits_ = 0;             // tasks waiting for another thread
  std::uintptr_t thread_ = 0;  // the id of the thread its started tasks belong to (0: none yet)
#endif

  // ---- the cache: free lists of blocks, one per block size ----
  struct cached_block {
    cached_block* next;
    std::size_t size;
  };
  struct cache_bucket {
    std::size_t size = 0;  // 0: unused
    cached_block* blocks = nullptr;
  };
  static constexpr std::size_t kCacheBuckets = 8;  // block sizes kept at once; others not cached
  void* take_cached(std::size_t size) noexcept;
  // Whether `size` more bytes fit under the cache's limit (a lowered limit may be exceeded).
  bool cache_has_room(std::size_t size) const noexcept {
    return cached_bytes_ <= cache_limit_ && cache_limit_ - cached_bytes_ >= size;
  }
  bool keep_cached(void* block, std::size_t size) noexcept;
  void trim_cache(std::size_t limit) noexcept;
  void keep_stack_copy(void* block, std::size_t size) noexcept;  // or frees it
  void* take_stack_copy(std::size_t* size) noexcept;
  // After set_allocator() replaced it, the cache goes back to the allocator that gave its blocks
  // and starts over with the new one: it never mixes blocks of two.
  void follow_allocator() noexcept;
  allocator cache_source_ = get_allocator();  // the allocator every cached block came from
  cache_bucket cache_[kCacheBuckets];
  cached_block* stack_copies_ = nullptr;  // of any size, the latest kept first
  std::size_t cache_limit_ = default_cache_limit;
  std::size_t cached_bytes_ = 0;

  detail::task_node* ready_head_ = nullptr;
  detail::task_node* ready_tail_ = nullptr;
  detail::task_node* timers_ = nullptr;  // root of the pairing heap
  detail::task_node* all_ = nullptr;
  std::size_t live_ = 0;
  // Frames of the scheduler's own that run the program's code (a task, a destructor, the failure
  // handler) are on the stack: it may not be destroyed, nor run() again.
  unsigned in_use_ = 0;
  struct in_use_scope;  // counts one such frame while it lives
  // A wake looks for this where the task's scheduler should be: another value means the memory
  // is something else now (a scheduler on a parked coroutine's stack, or destroyed).
  static constexpr unsigned kPresent = 0x5c4ed01eu;
  unsigned present_ = kPresent;
  failure_handler failure_handler_ = nullptr;
  void* failure_user_ = nullptr;
  std::size_t unjoined_failures_ = 0;
};

namespace detail {

// Whether an exception was thrown since it was made: for a guard that commits only what went
// through (the return value of its scope is built before the guard's destructor runs).
class throw_watch {
 public:
  bool threw() const noexcept { return std::uncaught_exceptions() > before_; }

 private:
  int before_ = std::uncaught_exceptions();
};

template <class T>
class task_state;

// The coroutine of a task_state<T>: runs fn(args...) and puts what it returns in the task's slot.
template <class T, class F, class Args>
class task_body final : public task_body_base {
 public:
  template <class G, class B>
  task_body(task_state<T>* state, G&& fn, B&& args)
      : state_(state), fn_(std::forward<G>(fn)), args_(std::forward<B>(args)) {}

 private:
  void run() override {
    this->inbox.take();
    if constexpr (std::is_void_v<T>) {
      std::apply(fn_, args_);
      state_->result_.put();
    } else {
      state_->result_.put(std::apply(fn_, args_));
    }
  }
  void destroy() noexcept override {
    scheduler* cache = home;
    this->~task_body();
    free_task_memory(cache, this, sizeof(task_body));
  }

  task_state<T>* state_;
  F fn_;
  Args args_;
};

template <class T>
class task_state final : public task_node {
 public:
  template <class F, class Args>
  static task_state* create(scheduler* owner, F&& fn, Args&& args) {
    void* memory = allocate_task_memory(owner, sizeof(task_state));
    if (memory == nullptr) return nullptr;
    auto* state = ::new (memory) task_state(owner);
    // The body's copy or move may throw: then no task exists.
    struct free_unless_built {
      task_state* state;
      ~free_unless_built() {
        if (state != nullptr) state->destroy();
      }
    } guard{state};
    state->body = make_body(state, std::forward<F>(fn), std::forward<Args>(args));
    if (state->body == nullptr) return nullptr;  // the guard frees the state
    lend_stack_copy(state);
    guard.state = nullptr;
    return state;
  }

  // The finished task's outcome. The result moves out but stays in the task until
  // discard_result(): if T's move throws, the next join gets it.
  result<T> outcome() {
    if (failure.code() != errc::ok) return failure;
    if (!result_.full()) return error(errc::killed);
    if constexpr (std::is_void_v<T>) {
      return result<void>();
    } else {
      return result<T>(std::in_place, std::move(*result_.value));
    }
  }
  void discard_result() noexcept { result_.clear(); }

 private:
  template <class, class, class>
  friend class task_body;

  explicit task_state(scheduler* owner) noexcept : task_node(owner) {}
  ~task_state() override { release_task_body(this); }
  void destroy() noexcept override {
    scheduler* cache = owner;
    this->~task_state();
    free_task_memory(cache, this, sizeof(task_state));
  }

  template <class F, class Args>
  static task_body_base* make_body(task_state* state, F&& fn, Args&& args) {
    using body_type = task_body<T, std::decay_t<F>, std::decay_t<Args>>;
    void* memory = allocate_task_memory(state->owner, sizeof(body_type));
    if (memory == nullptr) return nullptr;
    struct free_unless_built {  // the body's copy or move may throw
      scheduler* owner;
      void* memory;
      ~free_unless_built() {
        if (memory != nullptr) free_task_memory(owner, memory, sizeof(body_type));
      }
    } guard{state->owner, memory};
    auto* built = ::new (memory) body_type(state, std::forward<F>(fn), std::forward<Args>(args));
    guard.memory = nullptr;
    return built;
  }

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

  // A handle whose task another handle's join collected is empty too.
  explicit operator bool() const noexcept { return state_ != nullptr && !state_->collected; }
  bool done() const noexcept { return state_ == nullptr || state_->finished(); }

  // Waits for the task and hands out what it returned or the error it died with (errc::killed
  // if killed); the handle is empty afterwards. Inside a task of the same scheduler this blocks
  // that task; elsewhere it runs the scheduler until the task is done (errc::deadlock if it can
  // never be; from another thread, errc::wrong_thread; a task's refused resume, as run()). A
  // task joining itself gets errc::join_self. While a join waits, the handle may be moved or
  // destroyed (the join still gets the outcome; the handle it moved to is empty afterwards: it
  // lets go of the task when destroyed or joined) or joined again: the first join to go on
  // takes the outcome, the others get errc::empty_handle. A result whose move throws stays in
  // the task for the next join.
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
          if (const errc stepped = t->owner->step(); stepped != errc::ok) return error(stepped);
        }
      }
    }
    return collect(t, this);
  }

  // Ends the task: a task that has not finished is closed and its join() reports errc::killed.
  // With exceptions, the wait it is in returns errc::closing (nothing is thrown: the wait may be
  // in a destructor) and the task should return; every later wait (a destructor's goodbye, say)
  // fails at once with errc::yield_while_closing. Every destructor on its stack runs. A task that
  // ignores those errors in a loop is unwound by the forced unwind after 2^20 of them (a few
  // milliseconds); destructors that wait, each once, never come near. Without exceptions its
  // stack is discarded. A task
  // cannot kill itself (errc::close_running) or a task that is running another
  // (errc::close_normal).
  result<void> kill() {
    if (!*this) return error(errc::empty_handle);
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (state_->finished() || state_->owner == nullptr) return result<void>();
    if (const errc e = state_->owner->take_thread(); e != errc::ok) return error(e);
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
  friend struct detail::task_access;
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

  // Takes the outcome once; if `joining` (the handle join() was called on, which may have been
  // moved or destroyed since) still holds the task, empties it. Another handle the task moved to
  // is never written: it may be on a parked task's saved stack. It finds the task collected and
  // lets go of it when it is destroyed or joined.
  static result<T> collect(detail::task_state<T>* t, task* joining) {
    if (t->collected) {
      if (t->holder == joining) joining->let_go();
      return error(errc::empty_handle);
    }
    struct commit_unless_thrown {  // the outcome built: it left the task
      detail::task_state<T>* t;
      task* joining;
      detail::throw_watch watch;
      ~commit_unless_thrown() {
        if (watch.threw()) return;
        t->collected = true;
        t->discard_result();
        if (t->holder == joining) joining->let_go();
      }
    } commit{t, joining, {}};
    return t->outcome();
  }

  // Empties this handle (its task was collected): drops the handle's reference.
  void let_go() noexcept {
    detail::task_node* t = std::exchange(state_, nullptr);
    t->holder = nullptr;
    detail::release_task(t);  // a join's own reference keeps the task for its outcome
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

// ---- wait_any ----------------------------------------------------------------------------------
//
//   auto fast = s.spawn(fetch, primary);
//   auto slow = s.spawn(fetch, mirror);
//   std::size_t first = jmpco::wait_any(fast, slow).value();  // 0 or 1
//   auto page = first == 0 ? fast.join() : slow.join();        // at once: it has finished
//
// Waits until one of several tasks has finished (returned, failed or been killed) and gives its
// position among the arguments, or in the range: the lowest such position when several have
// finished by the time it goes on. That task's join() then hands out its outcome at once; wait_any
// takes nothing, so a task that finished and was not joined is reported again by the next wait_any.
// Inside a task of the tasks' scheduler it blocks that task; elsewhere it runs their scheduler
// until one finishes (errc::deadlock if none can). Empty handles are skipped (errc::empty_handle if
// all are empty); a task waiting for itself is errc::join_self; tasks of different schedulers,
// errc::mixed_schedulers; no memory for the wait, errc::out_of_memory. While it waits, other
// tasks may move, destroy or join the handles: a join takes the outcome, and wait_any still
// reports the finish (by position: the handle there may be empty by then). Killed while it waits,
// it returns errc::closing, as the other waits do.

namespace detail {

struct task_access {
  template <class T>
  static task_node* node(const task<T>& t) noexcept {
    return t ? t.state_ : nullptr;  // collected through another handle: empty
  }
};

template <class T>
inline constexpr bool is_task = false;
template <class T>
inline constexpr bool is_task<task<T>> = true;

}  // namespace detail

template <class A, class... B>
result<std::size_t> wait_any(task<A>& first, task<B>&... rest) {
  detail::task_node* const nodes[] = {detail::task_access::node(first),
                                      detail::task_access::node(rest)...};
  return detail::wait_for_any(nodes, 1 + sizeof...(B),
                              [](const void* tasks, std::size_t index) noexcept {
                                return static_cast<detail::task_node* const*>(tasks)[index];
                              });
}

// Over a contiguous range of handles of one type: a std::vector, std::array or array of task<T>.
template <class Range,
          class Task = std::remove_reference_t<decltype(*std::data(std::declval<Range&>()))>,
          std::enable_if_t<detail::is_task<std::remove_cv_t<Task>>, int> = 0>
result<std::size_t> wait_any(Range& tasks) {
  return detail::wait_for_any(
      std::data(tasks), std::size(tasks), [](const void* all, std::size_t index) noexcept {
        return detail::task_access::node(static_cast<const Task*>(all)[index]);
      });
}

namespace detail {

// Any duration as the scheduler clock's, saturated: one longer than the clock can count is its
// duration::max() ("forever"), one more negative its min(), NaN zero; never an overflow. (Through
// long double, which holds every count of every integer duration without wrapping.)
template <class Rep, class Period>
scheduler::clock::duration clamp_to_clock(std::chrono::duration<Rep, Period> d) noexcept {
  using target = scheduler::clock::duration;
  const std::chrono::duration<long double, target::period> wide = d;
  if (std::isnan(wide.count())) return target::zero();
  if (wide.count() >= static_cast<long double>(target::max().count())) return target::max();
  if (wide.count() <= static_cast<long double>(target::min().count())) return target::min();
  return target(static_cast<target::rep>(wide.count()));
}

// now + `d`, saturated at the clock's time_point::max() (a wait that never times out).
inline scheduler::clock::time_point deadline_after(scheduler::clock::duration d) noexcept {
  using clock = scheduler::clock;
  const clock::time_point now = clock::now();
  const bool fits =
      now.time_since_epoch() < clock::duration::zero() || d <= clock::time_point::max() - now;
  return fits ? now + d : clock::time_point::max();
}

}  // namespace detail

namespace this_task {
// Lets the other ready tasks run; errc::outside_task when no task is running.
JMPCO_API result<void> yield();
// sleep_until(deadline) (declared above) or sleep_for(duration): the scheduler runs other tasks
// meanwhile. A duration too long for the clock (hours::max()) sleeps until the task is killed;
// wait_fd's timeouts and run_once's saturate the same way.
template <class Rep, class Period>
result<void> sleep_for(std::chrono::duration<Rep, Period> duration) {
  return sleep_until(detail::deadline_after(detail::clamp_to_clock(duration)));
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
  const scheduler::clock::duration limit = detail::clamp_to_clock(timeout);
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

struct select_group;
struct shared_state_base;  // a shared_channel's lock and reference count (below)

// A task parked on a channel, whatever the channel's T: its place in the channel's list of
// waiting senders or receivers and, for a case of a select, the select it belongs to. Allocated
// when a task blocks (never on its stack, which is copied out while it is parked); freed by the
// task when it goes on, or on kill.
struct channel_waiter_base {
  task_node* task = nullptr;
  channel_waiter_base* next = nullptr;
  channel_waiter_base* prev = nullptr;
  channel_waiter_base** list = nullptr;  // the list it is in, nullptr once taken off
  select_group* group = nullptr;         // the select whose case it is, if any
  channel_waiter_base* next_case = nullptr;
  std::size_t case_index = 0;
  bool closed = false;                  // woken by close()
  bool handoff_failed = false;          // woken because its value's move threw (see handoff)
  shared_state_base* shared = nullptr;  // a shared_channel's state, kept alive by this waiter
  void (*destroy)(channel_waiter_base* w) noexcept = nullptr;  // frees it, whatever its T
};

// A select parked on several channels. The first firer to claim it (`claimed`, set once per wait
// by whoever gets there first, on any thread) hands its case what it brings and wakes the task;
// a firer that finds it claimed drops its own waiter instead. Its waiters on channels of this
// thread go with the first fire; those on shared channels are withdrawn by the task, under each
// channel's lock, once it runs (a firer holds only its own channel's lock).
struct select_group {
  explicit select_group(task_node* task) noexcept : task(task) {}
  task_node* task;
  channel_waiter_base* cases = nullptr;  // its waiters, linked through next_case
  channel_waiter_base* fired = nullptr;  // written by the claim's winner, before the wake
  std::atomic<bool> claimed{false};
  bool remote = false;  // a case is on a shared_channel: the task waits for other threads
};

// ...and the value in transit: a waiting sender's value waits here, a receiver's arrives here.
template <class T>
struct channel_waiter final : channel_waiter_base {
  slot<T> value;

  T& held() noexcept { return *value.value; }

  static channel_waiter* create(task_node* self) noexcept {
    void* memory = allocate(sizeof(channel_waiter));
    if (memory == nullptr) return nullptr;
    auto* w = ::new (memory) channel_waiter();
    w->task = self;
    w->destroy = [](channel_waiter_base* base) noexcept {
      auto* waiter = static_cast<channel_waiter*>(base);
      waiter->~channel_waiter();
      deallocate(waiter, sizeof(channel_waiter));
    };
    return w;
  }
};

// Calls `step()` with the sender's waiter `w` at stake: if it throws, `free_waiter(w)` frees the
// waiter (and the value it holds) before the exception goes on.
template <class W, class Free, class Step>
auto free_if_thrown(W* w, Free free_waiter, Step step) -> decltype(step()) {
  struct guard {
    W* w;
    Free& free_waiter;
    throw_watch watch;
    ~guard() {
      if (watch.threw()) free_waiter(w);
    }
  } freed{w, free_waiter, {}};
  return step();
}

// Moves a sender's value into its new waiter; if T's move throws, `free_waiter(w)` frees the
// waiter before the exception goes on.
template <class T, class Free>
void load_sender(channel_waiter<T>* w, T& value, Free free_waiter) {
  [[maybe_unused]] const value_move_scope_for<T> moving{};  // between the look and the wait
  free_if_thrown(w, free_waiter, [&] { w->value.put(std::move(value)); });
}

// At the back of `list`: first come, first served.
JMPCO_API void link_waiter(channel_waiter_base*& list, channel_waiter_base* w) noexcept;
JMPCO_API void unlink_waiter(channel_waiter_base* w) noexcept;
// Whether a firer (holding the lock of w's channel, if shared) may hand `w` a value: a plain
// waiter unless its handoff failed; a select's case if its select is not claimed yet, which this
// claims. The others stay on their lists, skipped, until their tasks take them off: a close (or
// the channel's destruction) meanwhile must find them (see close).
inline bool claim_waiter(channel_waiter_base* w) noexcept {
  if (w->handoff_failed) return false;  // its task offers the value again itself
  return w->group == nullptr || !w->group->claimed.exchange(true, std::memory_order_acq_rel);
}
// Takes a claimed `w` off its list, makes it its select's fired case (withdrawing the select's
// other cases on this thread's channels), and wakes its task. A `w` whose handoff failed, and its
// select's cases, stay listed until its task takes them off (lib/scheduler.cpp).
JMPCO_API void fire_waiter(channel_waiter_base* w) noexcept;
#if JMPCO_THREADS
// As fire_waiter, for a waiter of a shared_channel, whose task may belong to another thread's
// scheduler. The caller holds the channel's lock.
JMPCO_API void fire_waiter_any_thread(channel_waiter_base* w) noexcept;
#endif
// Parks the running task `self` on `wait`, which `abandon` takes apart if the task is killed
// while parked (then errc::closing comes back: the kill took `wait` apart). Any other error: it
// could not park, `wait` is the caller's to take apart.
[[nodiscard]] JMPCO_API error park_on(task_node* self, void* wait,
                                      void (*abandon)(void* wait) noexcept);
// A number in [0, bound), for the order in which a select tries its cases (case_order).
JMPCO_API std::size_t select_random(std::size_t bound) noexcept;

template <class Channel>
struct channel_access {};  // what select reads of channel<T> and shared_channel<T> (below)

}  // namespace detail

namespace detail {

// What channel<T> and shared_channel<T> share: the buffer, the waiting senders and receivers, and
// Go's rules for handing values between them. `Fire` wakes a waiter's task: on this thread
// (fire_waiter) or on any (fire_waiter_any_thread). No lock here: shared_channel holds its own.
template <class T>
class channel_core {
 public:
  using waiter = channel_waiter<T>;

  explicit channel_core(std::size_t capacity) noexcept : capacity_(capacity) {
    if (capacity_ > static_cast<std::size_t>(-1) / sizeof(T)) {  // its size would wrap
      capacity_ = 0;
      broken_ = true;
    } else if (capacity_ != 0) {
      buffer_ = static_cast<T*>(allocate_from(buffer_source_, sizeof(T) * capacity_));
      if (buffer_ == nullptr) capacity_ = 0, broken_ = true;
    }
  }
  channel_core(const channel_core&) = delete;
  channel_core& operator=(const channel_core&) = delete;
  ~channel_core() {
    [[maybe_unused]] const value_move_scope_for<T> destroying{};
    while (count_ != 0) pop_buffer();
    if (buffer_ != nullptr) deallocate_to(buffer_source_, buffer_, sizeof(T) * capacity_);
  }

  // Hands `v` to a waiting receiver or the buffer; false if neither can take it now. If v's move
  // throws, nothing was sent (see handoff).
  template <void (*Fire)(channel_waiter_base*) noexcept>
  bool offer(T& v) {
    [[maybe_unused]] const value_move_scope_for<T> moving{};
    if (channel_waiter_base* r = claim_first(receivers_)) {
      handoff<Fire> failed{r};
      static_cast<waiter*>(r)->value.put(std::move(v));
      failed.w = nullptr;
      Fire(r);
      return true;
    }
    if (count_ < capacity_) {
      ::new (static_cast<void*>(buffer_ + (head_ + count_) % capacity_)) T(std::move(v));
      ++count_;
      return true;
    }
    return false;
  }

  // A receive of the next value, take-then-commit: the receiver builds its copy from value()
  // (the buffer's oldest, else a waiting sender's; nullptr: none), then, as this goes, the value
  // leaves the channel (popped and refilled, or its sender woken). If the receiver's copy threw,
  // the value stays: a plain sender stays parked with it, a select's case starts over.
  //   if (taking<fire> next(core); next.value() != nullptr)
  //     return result<T>(std::in_place, std::move(*next.value()));  // built, then committed
  template <void (*Fire)(channel_waiter_base*) noexcept>
  class taking {
   public:
    explicit taking(channel_core& core) noexcept : core_(core) {
      if (core.count_ != 0) {
        value_ = &core.buffer_[core.head_];
      } else if (!core.closed_) {  // close() fails the senders it finds: none is served after
        sender_ = claim_first(core.senders_);
        if (sender_ != nullptr) value_ = &static_cast<waiter*>(sender_)->held();
      }
    }
    taking(const taking&) = delete;
    taking& operator=(const taking&) = delete;
    ~taking() {
      if (value_ == nullptr) return;
      if (watch_.threw())
        core_.template keep<Fire>(sender_);
      else if (sender_ != nullptr)
        Fire(sender_);  // its moved-from value goes with its waiter, freed by its own task
      else
        core_.template pop_and_refill<Fire>();
    }
    T* value() const noexcept { return value_; }

   private:
    value_move_scope_for<T> moving_;  // first: it outlives ~taking's commit
    channel_core& core_;
    T* value_ = nullptr;
    channel_waiter_base* sender_ = nullptr;  // claimed, if the value is a waiting sender's
    throw_watch watch_;
  };

  // Closes: waiting receivers and senders go on with errc::channel_closed (the values of waiting
  // senders are dropped, as their sends failed, by their own tasks as they free their waiters:
  // no value's destructor runs in here). Closing twice is errc::channel_closed.
  template <void (*Fire)(channel_waiter_base*) noexcept>
  error close() noexcept {
    if (closed_) return error(errc::channel_closed);
    closed_ = true;
    for (auto* list : {&receivers_, &senders_}) {
      while (channel_waiter_base* w = *list) {
        w->closed = true;
        if (claim_waiter(w)) {
          Fire(w);
        } else {
          // Woken already (a failed handoff: its task looks again; a select that went on with
          // another case): `closed` tells it that this channel may be gone by the time it runs.
          unlink_waiter(w);
        }
      }
    }
    return error();
  }

  // A sender woken because a refill's move of its value threw (handoff_failed) offers it again
  // from its own task, where a throw reaches the send. nullopt: no room yet, it waits again.
  template <void (*Fire)(channel_waiter_base*) noexcept>
  std::optional<result<void>> resend(waiter* w) {
    w->handoff_failed = false;
    if (error e = send_refused(); e) return result<void>(e);
    if (offer<Fire>(w->held())) return result<void>();
    return std::nullopt;
  }

  // The error of a send that cannot go on now (closed, broken), if any.
  error send_refused() const noexcept {
    if (broken_) return error(errc::out_of_memory);
    if (closed_) return error(errc::channel_closed);
    return error();
  }

  T* buffer_ = nullptr;
  allocator buffer_source_ = get_allocator();  // the buffer may outlive a change of allocator
  std::size_t capacity_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  channel_waiter_base* senders_ = nullptr;
  channel_waiter_base* receivers_ = nullptr;
  bool closed_ = false;
  bool broken_ = false;  // its buffer could not be allocated

 private:
  // A claimed waiter whose value's move threw: a plain one stays parked as it was (a sender with
  // its value); a select's case goes back to its task, which starts the select over.
  template <void (*Fire)(channel_waiter_base*) noexcept>
  struct handoff {
    channel_waiter_base* w;
    ~handoff() {
      if (w != nullptr) keep<Fire>(w);
    }
  };
  template <void (*Fire)(channel_waiter_base*) noexcept>
  static void keep(channel_waiter_base* w) noexcept {
    if (w == nullptr || w->group == nullptr) return;
    w->handoff_failed = true;
    Fire(w);
  }

  // The first waiter of `list` that may be handed something now, claimed (see claim_waiter).
  static channel_waiter_base* claim_first(channel_waiter_base* list) noexcept {
    for (channel_waiter_base* w = list; w != nullptr; w = w->next) {
      if (claim_waiter(w)) return w;
    }
    return nullptr;
  }

  // The buffer's oldest value was received: it goes, and the first waiting sender's value takes
  // its place. That move is the sender's: if it throws, the sender is woken with handoff_failed
  // and offers its value again itself (resend; a select starts over), so that the throw reaches
  // the sender, not this receiver, whose value is taken already.
  template <void (*Fire)(channel_waiter_base*) noexcept>
  void pop_and_refill() noexcept {
    pop_buffer();
    channel_waiter_base* s = claim_first(senders_);
    if (s == nullptr) return;
    T* tail = buffer_ + (head_ + count_) % capacity_;
#if JMPCO_EXCEPTIONS
    try {
      ::new (static_cast<void*>(tail)) T(std::move(static_cast<waiter*>(s)->held()));
    } catch (...) {
      s->handoff_failed = true;
      Fire(s);
      return;
    }
#else
    ::new (static_cast<void*>(tail)) T(std::move(static_cast<waiter*>(s)->held()));
#endif
    ++count_;
    Fire(s);
  }

  void pop_buffer() noexcept {
    buffer_[head_].~T();
    head_ = (head_ + 1) % capacity_;
    --count_;
  }
};

// What a woken receiver's waiter brought: the value, built in place (the waiter is the task's
// own by then: if T's move throws, the value goes with the waiter), or errc::channel_closed.
template <class T>
result<T> received(channel_waiter<T>* w) {
  if (!w->value.full()) return error(errc::channel_closed);
  return result<T>(std::in_place, std::move(w->held()));
}
// The same, freeing the waiter.
template <class T>
result<T> collect_received(channel_waiter<T>* w) {
  struct free_on_exit {
    channel_waiter<T>* w;
    ~free_on_exit() { w->destroy(w); }
  } release{w};
  return received(w);
}
// A woken sender's outcome; frees the waiter.
inline result<void> collect_sent(channel_waiter_base* w) noexcept {
  const bool closed = w->closed;
  w->destroy(w);
  if (closed) return error(errc::channel_closed);
  return result<void>();
}

}  // namespace detail

// A channel of T between the tasks of one scheduler, as Go's: `capacity` values are buffered
// (0: every send waits for a receiver). send and recv block the calling task; try_send and
// try_recv never block and work anywhere; select (below) waits on several at once. After close(),
// receivers drain the buffer and then get errc::channel_closed; a send gets
// errc::channel_closed. Destroying a channel closes it.
//
// T's move constructor and destructor run inside the channel's operations, while the channel is
// half-changed: there they may not wait (send, recv, join, yield, sleep...), run the scheduler,
// kill a task or use any channel. Those return errc::inside_value_move and do nothing.
//
// A value whose move throws: a send's throw comes out of the send, the value not sent; a
// receive's comes out of the receive and the value stays in the channel (in the buffer, or with
// its waiting sender), except for a receiver that was waiting and was handed the value already
// (its task owns it; it goes with the throw). A waiting sender whose value's move into the buffer
// throws, as a receive makes room, offers it again itself: a second throw comes out of its send.
//
// A channel<T> takes no lock and no atomic operation: it is for the tasks of one thread, and its
// ping-pong costs two task switches and nothing else. Between threads, use shared_channel<T>
// (below): a second type rather than a lock in this one, because a lock (and the reference count
// that lets a channel die while another thread's tasks still hold their waits) would tax every
// single-thread operation.
template <class T>
class channel {
  static constexpr auto fire = &detail::fire_waiter;

 public:
  explicit channel(std::size_t capacity) noexcept : core_(capacity) {}
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;
  ~channel() { (void)core_.template close<fire>(); }  // also inside a value's destructor

  std::size_t capacity() const noexcept { return core_.capacity_; }
  std::size_t size() const noexcept { return core_.count_; }
  bool closed() const noexcept { return core_.closed_; }

  // Sends `v`, blocking the running task until a receiver or the buffer takes it.
  result<void> send(T v) {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (error e = core_.send_refused(); e) return e;
    if (core_.template offer<fire>(v)) return result<void>();
    detail::task_node* self = detail::running_task();
    if (self == nullptr) return error(errc::outside_task);
    auto* w = waiter::create(self);
    if (w == nullptr) return error(errc::out_of_memory);
    detail::load_sender(w, v, &free_waiter);
    for (;;) {
      detail::link_waiter(core_.senders_, w);
      if (error e = park(self, w); e) return e;
      // Closed (or destroyed) first: then this channel is not touched again.
      if (w->closed || !w->handoff_failed) return detail::collect_sent(w);
      // A refill's move of its value threw: offered again here, where a throw reaches the send.
      detail::unlink_waiter(w);  // left on the list while woken, for a close to find
      auto done =
          detail::free_if_thrown(w, &free_waiter, [&] { return core_.template resend<fire>(w); });
      if (done) {
        free_waiter(w);
        return std::move(*done);
      }
    }
  }

  // Receives a value, blocking the running task until one comes; errc::channel_closed once the
  // channel is closed and drained.
  result<T> recv() {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (core_.broken_) return error(errc::out_of_memory);
    if (taking next(core_); next.value() != nullptr)
      return result<T>(std::in_place, std::move(*next.value()));
    if (core_.closed_) return error(errc::channel_closed);
    detail::task_node* self = detail::running_task();
    if (self == nullptr) return error(errc::outside_task);
    auto* w = waiter::create(self);
    if (w == nullptr) return error(errc::out_of_memory);
    detail::link_waiter(core_.receivers_, w);
    if (error e = park(self, w); e) return e;
    return detail::collect_received(w);
  }

  // As send and recv, without blocking: errc::would_block when they would.
  result<void> try_send(T v) {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (error e = core_.send_refused(); e) return e;
    if (core_.template offer<fire>(v)) return result<void>();
    return error(errc::would_block);
  }
  result<T> try_recv() {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (core_.broken_) return error(errc::out_of_memory);
    if (taking next(core_); next.value() != nullptr)
      return result<T>(std::in_place, std::move(*next.value()));
    return error(core_.closed_ ? errc::channel_closed : errc::would_block);
  }

  // Closes the channel: waiting receivers and senders go on with errc::channel_closed (the values
  // of waiting senders are dropped, as their sends failed). Closing twice is errc::channel_closed.
  result<void> close() noexcept {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (error e = core_.template close<fire>(); e) return e;
    return result<void>();
  }

 private:
  using waiter = detail::channel_waiter<T>;
  using taking = typename detail::channel_core<T>::template taking<fire>;
  friend struct detail::channel_access<channel>;

  static void free_waiter(waiter* w) noexcept { w->destroy(w); }

  // Parks the running task on `w`; on a kill while parked the waiter is unlinked and freed first.
  static error park(detail::task_node* self, waiter* w) {
    error e = detail::park_on(self, w, [](void* wait) noexcept {
      auto* abandoned = static_cast<waiter*>(wait);
      if (abandoned->list != nullptr) detail::unlink_waiter(abandoned);
      abandoned->destroy(abandoned);
    });
    if (e && e.code() != errc::closing) {  // it could not park: take the waiter back
      if (w->list != nullptr) detail::unlink_waiter(w);
      w->destroy(w);
    }
    return e;
  }

  detail::channel_core<T> core_;
};

#if JMPCO_THREADS

namespace detail {

// What a select (lib/scheduler.cpp) needs of a shared_channel's state, whatever its T: its lock,
// and the reference that each of its waiters holds.
struct shared_state_base {
  std::mutex lock;
  std::atomic<std::size_t> references{1};

  explicit shared_state_base(void (*free_state)(shared_state_base*) noexcept) noexcept
      : free_state_(free_state) {}
  shared_state_base(const shared_state_base&) = delete;
  shared_state_base& operator=(const shared_state_base&) = delete;

  void retain() noexcept { references.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (references.fetch_sub(1, std::memory_order_acq_rel) == 1) free_state_(this);
  }

 protected:
  ~shared_state_base() = default;

 private:
  void (*free_state_)(shared_state_base*) noexcept;
};

// A shared_channel's state, on the heap: the channel and each waiter parked on it hold a
// reference, so that a channel destroyed while tasks of other threads wait on it wakes them (as a
// close) and goes, and they find their waiters intact.
template <class T>
struct shared_channel_state final : shared_state_base, channel_core<T> {
  explicit shared_channel_state(std::size_t capacity) noexcept
      : shared_state_base(&free_state), channel_core<T>(capacity) {}

  static shared_channel_state* create(std::size_t capacity) noexcept {
    void* memory = allocate(sizeof(shared_channel_state));
    if (memory == nullptr) return nullptr;
    return ::new (memory) shared_channel_state(capacity);
  }

 private:
  static void free_state(shared_state_base* base) noexcept {
    auto* s = static_cast<shared_channel_state*>(base);
    s->~shared_channel_state();
    deallocate(s, sizeof(shared_channel_state));
  }
};

}  // namespace detail

// A channel of T between tasks of schedulers on different threads (one scheduler per thread), with
// channel<T>'s rules and operations: a task on thread A sends, a task on thread B receives, and
// B's scheduler, idle while its task waits, blocks (no deadlock reported, no spinning) until A's
// send wakes it (scheduler::interrupt()). It also works between tasks of one thread, at the cost
// of a lock per operation (channel<T> takes none: see there). try_send and try_recv work on any
// thread, inside a task or not. select() takes its cases beside channel<T> ones.
//
// A value handed to a waiting receiver belongs to that task from then on: if the task is killed
// (or its scheduler destroyed) before it runs, the value is destroyed with it, as for channel<T>.
//
// Destroying a shared_channel closes it: tasks waiting on it (on any thread) go on with
// errc::channel_closed, and the state they hold goes with the last of them. Using it from another
// thread while it is destroyed is a race, as for any object.
template <class T>
class shared_channel {
  using state = detail::shared_channel_state<T>;
  using waiter = detail::channel_waiter<T>;
  using hold = std::unique_lock<std::mutex>;
  static constexpr auto fire = &detail::fire_waiter_any_thread;
  using taking = typename detail::channel_core<T>::template taking<fire>;

 public:
  // errc::out_of_memory from every operation if its state could not be allocated.
  explicit shared_channel(std::size_t capacity) noexcept : state_(state::create(capacity)) {}
  shared_channel(const shared_channel&) = delete;
  shared_channel& operator=(const shared_channel&) = delete;
  ~shared_channel() {
    if (state_ == nullptr) return;
    {
      const hold locked(state_->lock);
      (void)state_->template close<fire>();  // also inside a value's destructor
    }
    state_->release();
  }

  std::size_t capacity() const noexcept { return state_ != nullptr ? state_->capacity_ : 0; }
  std::size_t size() const {
    if (state_ == nullptr) return 0;
    const hold locked(state_->lock);
    return state_->count_;
  }
  bool closed() const {
    if (state_ == nullptr) return false;
    const hold locked(state_->lock);
    return state_->closed_;
  }

  // Sends `v`, blocking the running task until a receiver (of any thread) or the buffer takes it.
  result<void> send(T v) {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    // Once it waits, this object may be destroyed by another thread (a close): from then on only
    // the state, which its waiter keeps, is touched.
    detail::shared_channel_state<T>* const state = state_;
    if (state == nullptr) return error(errc::out_of_memory);
    detail::task_node* self = detail::running_task();
    hold locked(state->lock);
    if (error e = state->send_refused(); e) return e;
    if (state->template offer<fire>(v)) return result<void>();
    if (self == nullptr) return error(errc::outside_task);
    waiter* w = new_waiter(self);
    if (w == nullptr) return error(errc::out_of_memory);
    detail::load_sender(w, v, &free_waiter);
    for (;;) {
      detail::link_waiter(state->senders_, w);
      locked.unlock();
      if (error e = park(self, w); e) return e;
      locked.lock();  // `closed` and `handoff_failed` are written under it
      if (w->closed || !w->handoff_failed) {
        locked.unlock();
        const release_on_exit release(w);
        return detail::collect_sent(w);
      }
      // A refill's move of its value threw: offered again here, where a throw reaches the send.
      detail::unlink_waiter(w);  // left on the list while woken, for a close to find
      auto unlock_and_free = [&](waiter* unsent) noexcept {
        locked.unlock();
        free_waiter(unsent);
      };
      auto done = detail::free_if_thrown(w, unlock_and_free,
                                         [&] { return state->template resend<fire>(w); });
      if (done) {
        unlock_and_free(w);
        return std::move(*done);
      }
    }
  }

  // Receives a value, blocking the running task until one comes; errc::channel_closed once the
  // channel is closed and drained.
  result<T> recv() {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (state_ == nullptr) return error(errc::out_of_memory);
    detail::task_node* self = detail::running_task();
    hold locked(state_->lock);
    if (state_->broken_) return error(errc::out_of_memory);
    if (taking next(*state_); next.value() != nullptr)
      return result<T>(std::in_place, std::move(*next.value()));
    if (state_->closed_) return error(errc::channel_closed);
    if (self == nullptr) return error(errc::outside_task);
    waiter* w = new_waiter(self);
    if (w == nullptr) return error(errc::out_of_memory);
    detail::link_waiter(state_->receivers_, w);
    locked.unlock();
    if (error e = park(self, w); e) return e;
    const release_on_exit release(w);
    return detail::collect_received(w);
  }

  // As send and recv, without blocking: errc::would_block when they would.
  result<void> try_send(T v) {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (state_ == nullptr) return error(errc::out_of_memory);
    const hold locked(state_->lock);
    if (error e = state_->send_refused(); e) return e;
    if (state_->template offer<fire>(v)) return result<void>();
    return error(errc::would_block);
  }
  result<T> try_recv() {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (state_ == nullptr) return error(errc::out_of_memory);
    const hold locked(state_->lock);
    if (state_->broken_) return error(errc::out_of_memory);
    if (taking next(*state_); next.value() != nullptr)
      return result<T>(std::in_place, std::move(*next.value()));
    return error(state_->closed_ ? errc::channel_closed : errc::would_block);
  }

  // As channel<T>::close, waking the waiters of every thread.
  result<void> close() noexcept {
    if (error e = detail::refuse_inside_value_move(); e) return e;
    if (state_ == nullptr) return error(errc::out_of_memory);
    const hold locked(state_->lock);
    if (error e = state_->template close<fire>(); e) return e;
    return result<void>();
  }

 private:
  friend struct detail::channel_access<shared_channel>;

  // The waiter's reference to the state, dropped after the waiter (collect_* frees it).
  struct release_on_exit {
    detail::shared_state_base* s;
    explicit release_on_exit(waiter* w) noexcept : s(w->shared) {}
    ~release_on_exit() { s->release(); }
  };

  waiter* new_waiter(detail::task_node* self) noexcept {
    waiter* w = waiter::create(self);
    if (w == nullptr) return nullptr;
    w->shared = state_;
    state_->retain();
    return w;
  }
  static void free_waiter(waiter* w) noexcept {
    detail::shared_state_base* s = w->shared;
    w->destroy(w);
    s->release();
  }

  // Parks the running task on `w`, counted as waiting for another thread. Killed while parked,
  // the waiter is taken back from the channel, or (already fired) from the scheduler's queue of
  // remote wakes, and freed.
  static error park(detail::task_node* self, waiter* w) {
    detail::count_remote_wait(self, +1);
    error e = detail::park_on(self, w, [](void* wait) noexcept {
      auto* abandoned = static_cast<waiter*>(wait);
      withdraw(abandoned);
      detail::count_remote_wait(abandoned->task, -1);
      free_waiter(abandoned);
    });
    if (e.code() == errc::closing) return e;  // killed: the kill freed `w`
    detail::count_remote_wait(self, -1);
    if (e) {  // it could not park: take the waiter back
      withdraw(w);
      free_waiter(w);
    }
    return e;
  }
  static void withdraw(waiter* w) noexcept {
    const std::lock_guard<std::mutex> locked(w->shared->lock);
    if (w->list != nullptr)
      detail::unlink_waiter(w);
    else
      detail::withdraw_remote_wake(w->task);
  }

  state* state_;
};

#endif  // JMPCO_THREADS

// ---- select ------------------------------------------------------------------------------------
//
//   auto which = jmpco::select(
//       jmpco::recv_case(numbers, [&](jmpco::result<int> v) { if (v) sum += *v; }),
//       jmpco::send_case(requests, 42, [&] { ++sent; }),
//       jmpco::default_case([&] { idle = true; }));  // optional
//
// As Go's select: of the cases that are ready (a receive that has a value or whose channel is
// closed, a send that a receiver or the buffer takes), one chosen uniformly at random runs (each
// as often as the others, wherever it stands among the cases); with none
// ready the default runs if there is one; otherwise the task waits on every case's channel and
// the first that becomes ready runs, the others' waits withdrawn. The case's callback runs after
// that, as the task (it may do anything: block, kill, destroy the channels). It returns the
// number of the case that ran (its position among the arguments), or an error: a send case whose
// channel is closed is errc::channel_closed (Go panics there; the value is dropped), waiting
// outside a task is errc::outside_task, no memory to wait is errc::out_of_memory, a channel
// whose buffer could not be allocated is errc::out_of_memory; killed while it waits, it returns
// errc::closing, as the other waits do.
//
// Cases on channel<T> and on shared_channel<T> mix freely. A waiting select whose cases include
// a shared_channel counts as waiting for another thread (its scheduler blocks rather than report
// a deadlock), and any thread may fire it: the first case to fire wins, once. The same channel
// may appear in several cases. If a value's move throws as it is handed to or taken from a
// waiting select, the exception goes to the other side and the select starts over; if one of its
// channels is closed (or destroyed) before it runs again, that case runs as closed instead. A
// receive case's result<T> is built once, from the channel or from what its wait brought; a
// callback that takes it as result<T>&& moves nothing more (one that takes it by value moves it,
// and a throw there loses the value, delivered already).

namespace detail {

template <class Ch, class F>
struct recv_case_of {
  Ch* ch;
  F on_value;  // called with result<T>: a value, or errc::channel_closed
};
template <class Ch, class F>
struct send_case_of {
  Ch* ch;
  typename channel_access<Ch>::value_type value;
  F on_sent;
};
template <class F>
struct default_case_of {
  F run;
};

struct nothing_to_do {
  template <class... A>
  void operator()(A&&...) const noexcept {}
};

template <class C>
inline constexpr bool is_default_case = false;
template <class F>
inline constexpr bool is_default_case<default_case_of<F>> = true;

template <class T>
struct channel_access<jmpco::channel<T>> {
  using value_type = T;
  static constexpr auto fire = &fire_waiter;
  static bool broken(const jmpco::channel<T>& ch) noexcept { return ch.core_.broken_; }
  static channel_core<T>& core(jmpco::channel<T>& ch, channel_waiter_base*) noexcept {
    return ch.core_;
  }
  static shared_state_base* shared(const jmpco::channel<T>&, channel_waiter_base*) noexcept {
    return nullptr;
  }
  static channel_waiter<T>* new_waiter(jmpco::channel<T>&, task_node* self) noexcept {
    return channel_waiter<T>::create(self);
  }
};

#if JMPCO_THREADS
template <class T>
struct channel_access<jmpco::shared_channel<T>> {
  using value_type = T;
  static constexpr auto fire = &fire_waiter_any_thread;
  static bool broken(const jmpco::shared_channel<T>& ch) noexcept {
    return ch.state_ == nullptr || ch.state_->broken_;  // broken_ never changes: no lock
  }
  // Once a case has its waiter, the state is taken from it (the waiter holds a reference): the
  // channel object may be destroyed on another thread while its select waits, also between a
  // wake and the select's next look.
  static channel_core<T>& core(jmpco::shared_channel<T>& ch, channel_waiter_base* own) noexcept {
    if (own != nullptr) return *static_cast<shared_channel_state<T>*>(own->shared);
    return *ch.state_;
  }
  static shared_state_base* shared(const jmpco::shared_channel<T>& ch,
                                   channel_waiter_base* own) noexcept {
    return own != nullptr ? own->shared : ch.state_;
  }
  static channel_waiter<T>* new_waiter(jmpco::shared_channel<T>& ch, task_node* self) noexcept {
    return ch.new_waiter(self);
  }
};
#endif

// One case of a select, as the select drives it. Under the locks of the select's shared
// channels: attempt (the case goes on now if it can, giving what it got) and link (its waiter
// joins its channel's list). Once the task wakes: collect (what the fired waiter brought).
// Last, with no lock held and the waiters freed: finish (the case's callback).
template <class Ch, class F>
struct select_case_ops {
  using access = channel_access<Ch>;
  using T = typename access::value_type;
  using waiter = channel_waiter<T>;
  static constexpr auto fire = access::fire;

  template <class Case>
  static bool broken(const Case& c) noexcept {
    return access::broken(*c.ch);
  }
  template <class Case>
  static shared_state_base* shared(const Case& c, channel_waiter_base* own) noexcept {
    return access::shared(*c.ch, own);
  }
  template <class Case>
  static waiter* new_waiter(Case& c, task_node* self) noexcept {
    return access::new_waiter(*c.ch, self);
  }

  static std::optional<result<T>> attempt(recv_case_of<Ch, F>& c, channel_waiter_base* own) {
    channel_core<T>& core = access::core(*c.ch, own);
    if (typename channel_core<T>::template taking<fire> next(core); next.value() != nullptr)
      return std::optional<result<T>>(std::in_place, std::in_place, std::move(*next.value()));
    if (core.closed_) return std::optional<result<T>>(std::in_place, error(errc::channel_closed));
    return std::nullopt;
  }
  static void prepare(recv_case_of<Ch, F>&, waiter*) noexcept {}
  static void link(recv_case_of<Ch, F>& c, channel_waiter_base* w) noexcept {
    link_waiter(access::core(*c.ch, w).receivers_, w);
  }
  static result<T> collect(recv_case_of<Ch, F>&, channel_waiter_base* fired) {
    return received(static_cast<waiter*>(fired));
  }
  static error finish(recv_case_of<Ch, F>& c, result<T>&& got) {
    c.on_value(std::move(got));
    return error();
  }

  // From the case's value, or once it has a waiter, from the waiter that holds the value.
  static std::optional<error> attempt(send_case_of<Ch, F>& c, channel_waiter_base* own) {
    channel_core<T>& core = access::core(*c.ch, own);
    if (core.closed_) return error(errc::channel_closed);
    T& v = own != nullptr ? static_cast<waiter*>(own)->held() : c.value;
    if (core.template offer<fire>(v)) return error();
    return std::nullopt;
  }
  // The waiter is in its select's group already: if T's move throws, the group frees it.
  static void prepare(send_case_of<Ch, F>& c, waiter* w) { w->value.put(std::move(c.value)); }
  static void link(send_case_of<Ch, F>& c, channel_waiter_base* w) noexcept {
    link_waiter(access::core(*c.ch, w).senders_, w);
  }
  static error collect(send_case_of<Ch, F>&, channel_waiter_base* fired) noexcept {
    return fired->closed ? error(errc::channel_closed) : error();
  }
  static error finish(send_case_of<Ch, F>& c, error&& got) {
    if (got) return got;
    c.on_sent();
    return error();
  }
};

template <class C>
struct case_traits;
template <class Ch, class F>
struct case_traits<recv_case_of<Ch, F>> {
  using ops = select_case_ops<Ch, F>;
};
template <class Ch, class F>
struct case_traits<send_case_of<Ch, F>> {
  using ops = select_case_ops<Ch, F>;
};

// Calls fn(case) for the case at runtime position `index`.
template <class Tuple, class Fn, std::size_t... I>
void visit_case(Tuple& cases, std::size_t index, Fn&& fn, std::index_sequence<I...>) {
  (void)((I == index ? (fn(std::get<I>(cases)), true) : false) || ...);
}

// The locks of a select's shared channels, each taken once and all in address order: every
// select takes them in that order and a firer holds only its own channel's, so none of them waits
// for a lock held by one that waits for its own.
template <std::size_t N>
class shared_locks {
 public:
#if JMPCO_THREADS
  shared_locks() noexcept = default;
  shared_locks(const shared_locks&) = delete;
  shared_locks& operator=(const shared_locks&) = delete;
  ~shared_locks() { unlock(); }

  void add(shared_state_base* s) noexcept {  // sorted, without duplicates
    if (s == nullptr) return;
    std::size_t at = count_;
    while (at != 0 && std::less<shared_state_base*>()(s, states_[at - 1])) --at;
    if (at != 0 && states_[at - 1] == s) return;
    for (std::size_t k = count_; k != at; --k) states_[k] = states_[k - 1];
    states_[at] = s;
    ++count_;
  }
  void lock() noexcept {
    for (; locked_ < count_; ++locked_) states_[locked_]->lock.lock();
  }
  void unlock() noexcept {
    while (locked_ != 0) states_[--locked_]->lock.unlock();
  }

 private:
  shared_state_base* states_[N] = {};
  std::size_t count_ = 0;
  std::size_t locked_ = 0;
#else
  void add(shared_state_base*) noexcept {}
  void lock() noexcept {}
  void unlock() noexcept {}
#endif
};

JMPCO_API select_group* new_select_group(task_node* self) noexcept;
// Frees the select's group and every waiter in it, whatever became of them (withdrawn first).
JMPCO_API void free_select_group(select_group* group) noexcept;
// Takes every waiter of the group off its channel's list (a shared channel's under its lock).
JMPCO_API void withdraw_select_group(select_group* group) noexcept;
// After a wake whose handoff failed (the group withdrawn): unclaimed, nothing fired.
JMPCO_API void rearm_select_group(select_group* group) noexcept;
// The group's first case whose channel was closed while it was woken (withdrawn first), or nullptr.
inline channel_waiter_base* first_closed(select_group* group) noexcept {
  for (channel_waiter_base* w = group->cases; w != nullptr; w = w->next_case) {
    if (w->closed) return w;
  }
  return nullptr;
}

// The order in which a select tries its cases: a uniformly random permutation (Fisher-Yates),
// drawn one position at a time as the select gets there, so that the first ready case in it is
// each ready case equally often (Go's "uniform pseudo-random selection") and a select whose first
// try is ready draws once. Positions drawn stay drawn: a select that looks again draws no more.
template <std::size_t N>
class case_order {
 public:
  case_order() noexcept {
    for (std::size_t i = 0; i < N; ++i) order_[i] = i;
  }
  // The case tried `k`-th; k at most one past the last asked for.
  std::size_t operator[](std::size_t k) noexcept {
    if (k > drawn_ || k >= N) fail_fatally("a select's cases tried out of order");
    if (k == drawn_) draw_next();
    return order_[k];
  }

 private:
  void draw_next() noexcept {
    const std::size_t left = N - drawn_;
    if (left > 1) std::swap(order_[drawn_], order_[drawn_ + select_random(left)]);
    ++drawn_;
  }

  std::size_t order_[N];
  std::size_t drawn_ = 0;
};
// Claims the group so that nothing more fires it, withdraws it, takes back the wake a firer may
// have queued meanwhile, and frees it: for a select that could not park.
JMPCO_API void cancel_select_group(select_group* group) noexcept;
// Parks `self` on its linked group (counted as waiting for another thread if a case is on a
// shared channel); as park_on, a kill frees the group and errc::closing comes back.
[[nodiscard]] JMPCO_API error park_on_select(task_node* self, select_group* group);

template <class... C>
class selector {
 public:
  static constexpr std::size_t count = sizeof...(C);

  explicit selector(C&... cases) noexcept : cases_(cases...) {}

  result<std::size_t> run() {
    if (error e = refuse_inside_value_move(); e) return e;
    if (any_broken()) return error(errc::out_of_memory);
    case_order<count> order;  // the same each time it looks for a ready case
    {
      waits none;
      shared_locks<count> locks;
      lock_cases(locks, none);
      if (std::optional<result<std::size_t>> done = run_ready(locks, none, order)) return *done;
    }
    if (std::optional<std::size_t> fallback = default_index()) {
      for_case(*fallback, [](auto& c) {
        if constexpr (is_default_case<std::decay_t<decltype(c)>>) c.run();
      });
      return result<std::size_t>(std::in_place, *fallback);
    }
    return wait_for_one(order);
  }

 private:
  using indices = std::index_sequence_for<C...>;

  // A waiter per case (none for the default), in a group that is freed on every way out but a
  // kill's (the kill frees it).
  struct waits {
    select_group* group = nullptr;
    channel_waiter_base* at[count] = {};

    waits() noexcept = default;
    waits(const waits&) = delete;
    waits& operator=(const waits&) = delete;
    ~waits() { free(); }
    void free() noexcept {
      if (group != nullptr) free_select_group(std::exchange(group, nullptr));
    }
  };

  template <class Fn>
  void for_case(std::size_t index, Fn&& fn) {
    visit_case(cases_, index, std::forward<Fn>(fn), indices{});
  }
  // Calls fn(case, ops) for the case at `index`, unless it is the default.
  template <class Fn>
  void with_case(std::size_t index, Fn&& fn) {
    for_case(index, [&](auto& c) {
      using Case = std::decay_t<decltype(c)>;
      if constexpr (!is_default_case<Case>) fn(c, typename case_traits<Case>::ops{});
    });
  }

  bool any_broken() {
    bool broken = false;
    for (std::size_t i = 0; i < count; ++i) {
      with_case(i, [&](auto& c, auto ops) { broken |= ops.broken(c); });
    }
    return broken;
  }

  void lock_cases(shared_locks<count>& locks, const waits& w) {
    for (std::size_t i = 0; i < count; ++i) {
      with_case(i, [&](auto& c, auto ops) { locks.add(ops.shared(c, w.at[i])); });
    }
    locks.lock();
  }

  static std::optional<std::size_t> default_index() noexcept {
    constexpr bool flags[] = {is_default_case<C>...};
    for (std::size_t i = 0; i < count; ++i) {
      if (flags[i]) return i;
    }
    return std::nullopt;
  }

  static result<std::size_t> outcome(std::size_t index, error e) {
    if (e) return e;
    return result<std::size_t>(std::in_place, index);
  }

  // Tries the cases in `order`; the first that can go on does, and its callback runs once the
  // locks and the waiters are let go. nullopt: none could.
  std::optional<result<std::size_t>> run_ready(shared_locks<count>& locks, waits& w,
                                               case_order<count>& order) {
    std::optional<result<std::size_t>> done;
    for (std::size_t k = 0; k < count && !done; ++k) {
      const std::size_t i = order[k];
      with_case(i, [&](auto& c, auto ops) {
        auto got = ops.attempt(c, w.at[i]);
        if (!got) return;
        locks.unlock();
        w.free();
        done.emplace(outcome(i, ops.finish(c, std::move(*got))));
      });
    }
    return done;
  }

  result<std::size_t> wait_for_one(case_order<count>& order) {
    task_node* self = running_task();
    if (self == nullptr) return error(errc::outside_task);
    waits w;
    w.group = new_select_group(self);
    if (w.group == nullptr) return error(errc::out_of_memory);
    if (!make_waiters(w, self)) return error(errc::out_of_memory);
    for (;;) {
      {
        // Ready since the first look, or since a failed handoff: it goes on at once.
        shared_locks<count> locks;
        lock_cases(locks, w);
        if (std::optional<result<std::size_t>> done = run_ready(locks, w, order)) return *done;
        link_all(w);
      }
      // Parked, the group is the kill's to free (the forced unwind passes through here).
      select_group* group = std::exchange(w.group, nullptr);
      error e = park_on_select(self, group);
      if (e.code() == errc::closing) return e;  // killed: the kill freed the group
      if (e) {                                  // it could not park
        cancel_select_group(group);
        return e;
      }
      w.group = group;
      withdraw_select_group(group);  // the cases that did not fire
      channel_waiter_base* fired = group->fired;
      if (fired == nullptr) fail_fatally("a select woke with no case fired");
      if (!fired->handoff_failed) return finish_fired(w, fired);
      // A handoff failed: it looks again, unless a channel of its was closed (or destroyed)
      // since it woke. Then that case runs, as closed, and no channel is touched.
      if (channel_waiter_base* closed = first_closed(group)) return finish_fired(w, closed);
      rearm_select_group(group);
    }
  }

  // A waiter per case, put in the group (which frees it) before a send case's value moves into
  // it: the move may throw.
  bool make_waiters(waits& w, task_node* self) {
    channel_waiter_base** tail = &w.group->cases;
    bool made = true;
    for (std::size_t i = 0; i < count && made; ++i) {
      with_case(i, [&](auto& c, auto ops) {
        auto* waiter = ops.new_waiter(c, self);
        if (waiter == nullptr) {
          made = false;
          return;
        }
        waiter->group = w.group;
        waiter->case_index = i;
        if (waiter->shared != nullptr) w.group->remote = true;
        *tail = waiter;
        tail = &waiter->next_case;
        w.at[i] = waiter;
        ops.prepare(c, waiter);
      });
    }
    return made;
  }

  void link_all(waits& w) noexcept {
    for (std::size_t i = 0; i < count; ++i) {
      with_case(i, [&](auto& c, auto ops) { ops.link(c, w.at[i]); });
    }
  }

  // Takes what the fired case brought, frees every waiter, then runs the case's callback.
  result<std::size_t> finish_fired(waits& w, channel_waiter_base* fired) {
    const std::size_t index = fired->case_index;
    error e;
    with_case(index, [&](auto& c, auto ops) {
      auto got = ops.collect(c, fired);  // a received value's move may throw: `w` frees all
      w.free();
      e = ops.finish(c, std::move(got));
    });
    return outcome(index, e);
  }

  std::tuple<C&...> cases_;
};

template <class Ch>
using channel_value_t = typename channel_access<Ch>::value_type;

}  // namespace detail

// A case that receives from `ch` (a channel<T> or a shared_channel<T>) and calls
// on_value(result<T>) with the value or errc::channel_closed.
template <class Ch, class F, class T = detail::channel_value_t<Ch>>
detail::recv_case_of<Ch, std::decay_t<F>> recv_case(Ch& ch, F&& on_value) {
  static_assert(std::is_invocable_v<std::decay_t<F>&, result<T>>,
                "recv_case's callback takes a jmpco::result<T>");
  return {&ch, std::forward<F>(on_value)};
}
// A case that sends `value` on `ch` (a channel<T> or a shared_channel<T>) and then calls
// on_sent().
template <class Ch, class V, class F = detail::nothing_to_do, class T = detail::channel_value_t<Ch>>
detail::send_case_of<Ch, std::decay_t<F>> send_case(Ch& ch, V&& value, F&& on_sent = {}) {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "send_case's callback takes nothing");
  return {&ch, T(std::forward<V>(value)), std::forward<F>(on_sent)};
}
// What runs when no case is ready; at most one per select.
template <class F>
detail::default_case_of<std::decay_t<F>> default_case(F&& run) {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "default_case's callback takes nothing");
  return {std::forward<F>(run)};
}

template <class... C>
result<std::size_t> select(C&&... cases) {
  constexpr std::size_t defaults =
      (std::size_t{0} + ... + detail::is_default_case<std::decay_t<C>>);
  static_assert(defaults <= 1, "a select has at most one default_case");
  static_assert(sizeof...(C) > defaults, "a select needs a send_case or a recv_case");
  return detail::selector<std::remove_reference_t<C>...>(cases...).run();
}

}  // namespace jmpco

#endif  // JMPCO_SCHEDULER_HPP
