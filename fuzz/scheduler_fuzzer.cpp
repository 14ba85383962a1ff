// SPDX-License-Identifier: MIT
// scheduler_fuzzer: programs of tasks and channels (include/jmpco/scheduler.hpp) run for real and
// in a model of the scheduler's rules; every observation of the two must agree.
//
// The input is split at `|` into programs. Program 0 runs on the thread's main context; a task
// spawned with `s P` runs program P. An op is a character, some followed by argument bytes
// (taken modulo the range, so digits read as themselves):
//
//   s P    spawn a task running program P (0..15) into the next handle slot (of 16, round robin)
//   > C    send the next value on channel C             < C   receive from C
//          (0..3: a channel<T> of capacity C at first; 4..7: one shared_channel<T> of capacity 1,
//          used from the scheduler's own thread, for all of >, <, ), (, x and N)
//   ) C    try_send                                     ( C   try_recv
//   x C    close C                                      N C K replace C by a new channel of
//                                                             capacity K (0..3): the old one is
//                                                             destroyed, its waiters woken
//   y      this_task::yield                             z     sleep until a time already past
//   j S    join the task in slot S (0..15)              k S   kill it
//   a S T  wait_any over the tasks in slots S and T (i0 or i1: the first of them to finish)
//   d S    drop (detach) slot S's handle                m S   move slot S's handle to S+1
//   e      throw (a task's body fails)                  o     a counted object lives from here
//   O op   a counted object whose destructor runs `op` (the next op, with its arguments)
//   ? A B X  select over 2 or 3 cases, each a byte (modulo 16): 0..3 receive from channel 0..3,
//          4..7 send the next value on channel 0..3, 8 receive from the shared_channel, 9 send
//          on it, 10..14 send on channel 0..4 a value whose move throws after its move into the
//          case; A or B 15 reads as 7; X 15 (or no byte left) means no third case
//   M C    send on C (0..4) a value whose every move throws: the send throws (a task fails, the
//          main context logs it) unless it fails first (closed, outside_task); a receiver the
//          move was meant for stays parked, a select whose case it was starts over
//   ! A B X  the same with a default_case (last)
//   Z K    sleep_for a duration the clock cannot hold or no duration at all (K 0..7: hours::max,
//          NaN seconds, 1e300 s, -1e300 s, +inf s, -inf s, hours::min, zero); the too long ones
//          (0, 2, 4) sleep until the task is killed or its scheduler destroyed, the others are
//          due at once (a deadline now or long past)
//   w      wait_fd for the socketpair's reading end, then read one byte (r1, r0 at its end, r-
//          when another waiter took the byte)
//   W      write a byte to the socketpair's other end (`full` at 16 unread)   C   close that end
//   r      run_once          t   run_once(0ms)   T   run_once(1ms)
//   R      run               D   destroy the scheduler and make a new one
//                            (r, t, T, R and D only on the main context)
//
// Hostile moves are ordinary ops here: a task drops, moves or joins its own handle or the one
// another task is joining; destructors wait on channels, join, kill or spawn, also while a kill
// or an exception unwinds their task; channels are destroyed under their waiters; a scheduler is
// destroyed with tasks waiting everywhere. Blocking ops on the main context must fail cleanly.
// A select's channels are destroyed under it; a select waits in a destructor, or is killed.
// A wait_any's handles are dropped, moved or joined while it waits; it waits on one task twice.
//
// The model (struct model) is a plain state machine: a run queue, sleepers, channel buffers and
// waiter queues, joiner lists, reference counts. It runs first and writes the log the real run
// must write: each op's result, each counted object's destruction, each body's return. Then the
// real run; the logs, the unjoined-failure counts and the live counts must match, or the target
// traps after printing both logs from the first difference. scheduler_fuzzer_planted has a wrong
// model on purpose (joiners woken in the wrong order): fuzz/check_divergence_detection.sh shows
// that it traps on fuzz/corpus/scheduler_fuzzer/two_joiners.
//
// What the model must know of the real scheduler's choices and waits:
// - select tries its cases in a random order (detail::case_order, drawn a position at a time
//   from detail::select_random, a per-thread xorshift64). The model mirrors that generator
//   (select_random_mirror) and draws as often as the real selects do, so it takes the same case;
//   it checks that the case was ready, and that a default ran only with none ready. Every input
//   runs on one worker thread, so the draws of an input depend on the inputs before it: a
//   divergence prints their number, and JMPCO_FUZZ_SELECT_DRAWS=N replays an input after N draws
//   (JMPCO_FUZZ_TRACE prints it too).
// - A shared_channel woken from outside a task (the main context) queues the task for the next
//   step and calls interrupt(); a task woken from a task runs as a channel's would. A scheduler
//   left with nothing ready while a task waits on the shared_channel would block for good (it
//   waits for another thread): the model skips such an input, as one that would std::terminate.
// - A select case on the shared_channel is claimed once, like a channel's: woken from the main
//   context it goes through `remote`. A send whose value's move throws lets go the receiver it
//   claimed: a plain one stays parked; a select's case wakes its select, which looks again in
//   the order it drew (no new draw) and parks again if none is ready. A channel of that select
//   closed or replaced (N) before it runs makes it run that case as closed, first by case number.
// - Timers: past deadlines wake in deadline order (now + duration::min(), then `z`'s early time
//   points, then now); a sleeper until time_point::max() wakes only by a kill, so a scheduler
//   with nothing else to run blocks for good (skipped, as above).
// - fd waiters wake only where the scheduler blocks (run or a join with nothing ready,
//   run_once(timeout) with nothing ready), all of them in the scheduler's order (most recent
//   first); an interrupt() left by a wake from the main context ends the next block before it
//   looks at the fd. A block that nothing can end is skipped as above.
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "jmpco/jmpco.hpp"

JMPCO_FUZZ_SANITIZER_DEFAULTS

namespace {

constexpr int kSlots = 16;
constexpr int kChannels = 4;                // channel<T>s, 0..3 (capacity as the number)
constexpr int kShared = kChannels;          // the shared_channel<T> (capacity 1), written 4..7
constexpr std::size_t kSharedCapacity = 1;  // at the start
constexpr int kFdBytes = 16;                // unread bytes the socketpair holds (`W` writes no more): each
                                            // write costs the socket's buffer far more than its byte
constexpr int kPrograms = 16;
constexpr int kMaxTasks = 64;
constexpr std::size_t kMaxInput = 2048;
constexpr std::size_t kWorkerStack = std::size_t{64} << 20;
constexpr int kSelectCase = 16;   // a select case byte's range (see select_of)
constexpr int kSelectCases = 10;  // 0..3 receive, 4..7 send on channel 0..3; 8, 9 on the shared one;
                                  // 10..14 a send that throws
constexpr int kHugeSleeps = 8;    // `Z`'s durations (see huge_sleep)

struct op {
  char code = 0;
  int a = 0;
  int b = 0;
  int c = 0;
  char dcode = 0;  // `O`: the destructor's op
  int da = 0;
  int db = 0;
  int dc = 0;
};
using program = std::vector<op>;

// How many argument bytes an op takes, and their ranges.
int argument_range(char code, int index) {
  switch (code) {
    case 's':
      return index == 0 ? kPrograms : 0;
    case '>':
    case '<':
    case ')':
    case '(':
    case 'x':
      return index == 0 ? 2 * kChannels : 0;
    case 'N':
      return index == 0 ? 2 * kChannels : index == 1 ? 4 : 0;
    case 'M':
      return index == 0 ? 2 * kChannels : 0;
    case '?':
    case '!':  // two cases, then a third (kSelectCases and above: none)
      return index < 3 ? kSelectCase : 0;
    case 'Z':
      return index == 0 ? kHugeSleeps : 0;
    case 'j':
    case 'k':
    case 'd':
    case 'm':
      return index == 0 ? kSlots : 0;
    case 'a':
      return index < 2 ? kSlots : 0;
    default:
      return 0;
  }
}

bool known_op(char c) {
  static const std::string ops = "s><)(xNMyzZjkdmeoOrRDtT?!wWCa";
  return ops.find(c) != std::string::npos;
}

// Reads one op (without `O`'s nesting) from [p, end); false at the end.
bool read_simple(const std::uint8_t*& p, const std::uint8_t* end, char& code, int& a, int& b, int& c) {
  while (p != end && !known_op(static_cast<char>(*p))) ++p;
  if (p == end) return false;
  code = static_cast<char>(*p++);
  int args[3] = {0, 0, kSelectCase - 1};  // a select's third case missing: none
  for (int i = 0; i < 3; ++i) {
    const int range = argument_range(code, i);
    if (range == 0) break;
    if (p == end) break;
    args[i] = *p++ % range;
  }
  a = args[0];
  b = args[1];
  c = args[2];
  if (std::string("><)(xNM").find(code) != std::string::npos && a > kShared) a = kShared;
  return true;
}

program parse(const std::uint8_t* p, const std::uint8_t* end) {
  program prog;
  op o;
  while (read_simple(p, end, o.code, o.a, o.b, o.c)) {
    o.dcode = 0;
    if (o.code == 'O' && !read_simple(p, end, o.dcode, o.da, o.db, o.dc)) o.dcode = 0;
    prog.push_back(o);
  }
  return prog;
}

// A select op's cases, in argument order; a send case's value is numbered when the op runs.
struct select_spec {
  struct one_case {
    bool send;
    int channel;
    long value;
    bool throws = false;  // a send whose value's move throws (after its move into the case)
  };
  std::vector<one_case> cases;
  bool with_default;
  // All of the select's positions (the default is last), as select() counts them.
  std::size_t positions() const { return cases.size() + (with_default ? 1 : 0); }
};

select_spec select_of(char code, int a, int b, int c, long& next_value) {
  select_spec s;
  s.with_default = code == '!';
  for (int byte : {a, b, c}) {
    if (byte == kSelectCase - 1) {
      if (s.cases.size() >= 2) break;  // no third case
      byte = 7;                        // the first two are never missing
    }
    if (byte >= kSelectCases) {
      s.cases.push_back({true, byte - kSelectCases, 0, true});
    } else if (byte >= 8) {
      s.cases.push_back({byte == 9, kShared, 0});
    } else {
      s.cases.push_back({(byte & 4) != 0, byte & 3, 0});
    }
  }
  for (auto& one : s.cases) {
    if (one.send) one.value = ++next_value;
  }
  return s;
}

// lib/scheduler.cpp's select_random: xorshift64 from a fixed seed, one state per thread. Every
// input runs on the same worker thread; the model starts each input from the state the real
// selects left (worker_random), so it draws the same orders of cases as they do. The choices of
// an input thus depend on the draws before it: a divergence prints their number, and
// JMPCO_FUZZ_SELECT_DRAWS=N replays an input after N draws.
struct select_random_mirror {
  std::uint64_t state = 0x9e3779b97f4a7c15u;
  unsigned long long draws = 0;
  std::size_t next(std::size_t bound) {
    ++draws;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::size_t>(state % bound);
  }
};

select_random_mirror worker_random;  // the worker thread's select_random, as of now

using event_log = std::vector<std::string>;

// The op an `O` object's destructor runs.
op destructor_op(const op& o) {
  op d;
  d.code = o.dcode;
  d.a = o.da;
  d.b = o.db;
  d.c = o.dc;
  return d;
}

std::string code_text(jmpco::errc c) { return "e" + std::to_string(static_cast<int>(c)); }

void note(event_log& log, int actor, const std::string& what) { log.push_back(std::to_string(actor) + ":" + what); }

// ---- the model ---------------------------------------------------------------------------------

struct model {
  enum class state { ready, running, waiting, finished };

  // A task parked on a channel: by a send or receive (select_case -1) or a select's case.
  struct waiter {
    int id;
    int select_case;
    long value;  // what a sender sends
  };

  struct channel {
    std::size_t capacity = 0;
    std::deque<long> buffer;
    std::deque<waiter> senders;  // first come first served
    std::deque<waiter> receivers;
    bool closed = false;
    bool shared = false;  // a shared_channel: a wake from outside a task goes through `remote`
  };

  struct object {
    int id;
    const op* o;
  };

  struct task {
    int id = 0;
    int prog = 0;
    int generation = 0;  // which scheduler
    state st = state::ready;
    bool started = false;
    std::size_t pc = 0;
    std::vector<object> objects;
    bool unwinding = false;  // leaving the body: normal end or an exception
    bool exception = false;  // an exception (a throw or the forced unwind) is in flight
    // The wait it is parked in: the op, whether a destructor's, and what it will get.
    char wait = 0;
    bool wait_in_destructor = false;
    bool got_value = false;
    long recv_value = 0;
    bool woken_closed = false;
    std::vector<bool> select_sends;         // a parked select: which of its cases send
    select_spec parked_select;              // its cases (a failed handoff starts it over: it looks again
    std::vector<std::size_t> parked_order;  // in the order drawn, with no new draw)
    bool select_restart = false;            // the case that woke it met a value whose move threw
    std::vector<bool> closed_while_woken;   // then: its cases whose channels were closed meanwhile
    int fired_case = -1;                    // the case whose channel woke it
    bool waits_shared = false;              // parked on the shared_channel: the scheduler waits for it
    int joining = 0;                        // the task a join waits for (cleared when that one finishes)
    int joining_done = 0;                   // the same, kept until the join goes on
    int joining_slot = -1;                  // the handle the join was called on
    std::vector<int> joiners;               // most recent first
    int any_targets[2] = {0, 0};            // a parked wait_any's tasks (0: an empty handle), pinned
    std::vector<int> any_waiters;           // the wait_any calls parked on this task, most recent first
    bool kill_seen = false;                 // every wait fails at once (the 2^20 that unwind are past any program)
    // Its outcome, and who holds it.
    long result = 0;
    jmpco::errc failure = jmpco::errc::ok;
    bool collected = false;
    int references = 2;
    int holder = -1;
  };

  const std::vector<program>* programs;
  event_log log;
  std::deque<task> tasks{1};  // tasks[0]: the main context; a deque keeps references valid
  channel channels[kChannels + 1];
  int slots[kSlots] = {};
  std::deque<int> ready;
  // Sleepers whose deadlines are past, in the order their deadlines come: now + duration::min
  // (saturated), then `z`'s early time points, then now (NaN, zero). Each list first come first.
  enum sleep_class { long_past, early, now_due, sleep_classes };
  std::deque<int> sleepers[sleep_classes];
  std::deque<int> forever;   // deadline time_point::max(): only a kill or the scheduler's end
  std::deque<int> remote;    // woken by the shared_channel outside any task: queued for the next step
  bool interrupted = false;  // that wake's scheduler::interrupt(), not yet seen by a blocking wait
  // The socketpair: bytes written and not read, whether the writing end is closed, and the tasks
  // waiting for the reading end (most recent first, as the scheduler's list).
  int fd_bytes = 0;
  bool fd_writer_closed = false;
  std::deque<int> fd_waiters;
  int generation = 1;
  int live = 0;
  int running = 0;  // the task whose code runs now; 0: the main context
  long next_value = 0;
  int next_object = 0;
  int spawned = 0;
  long unjoined = 0;
  // The real run would call std::terminate (see park) or block for good (see step): skipped.
  bool skip = false;
  select_random_mirror random;

  explicit model(const std::vector<program>* programs) : programs(programs) {
    for (int i = 0; i < kChannels; ++i) channels[i].capacity = static_cast<std::size_t>(i);
    channels[kShared].capacity = kSharedCapacity;
    channels[kShared].shared = true;
  }

  const program& program_of(int p) const {
    static const program empty;
    return p < static_cast<int>(programs->size()) ? (*programs)[p] : empty;
  }

  // -- references and outcomes

  void release(int id) {
    task& t = tasks[id];
    if (--t.references != 0) return;
    const bool reported = t.failure != jmpco::errc::ok && t.failure != jmpco::errc::killed;
    if (!t.collected && reported && t.generation == generation) ++unjoined;
  }

  // A join through `slot` takes the outcome once. Only the handle it was called on, if it still
  // holds the task, is emptied: a handle the task moved to keeps it, collected (empty to use).
  std::string collect(int id, int slot) {
    task& t = tasks[id];
    const bool took = !t.collected;
    t.collected = true;
    if (t.holder == slot) drop_handle(slot);
    if (!took) return code_text(jmpco::errc::empty_handle);
    if (t.failure != jmpco::errc::ok) return code_text(t.failure);
    return "v" + std::to_string(t.result);
  }

  // The task a handle holds, 0 for an empty handle or one whose task another handle's join
  // collected.
  int held(int slot) const {
    const int id = slots[slot];
    return id != 0 && !tasks[id].collected ? id : 0;
  }

  void drop_handle(int slot) {
    const int id = slots[slot];
    if (id == 0) return;
    slots[slot] = 0;
    tasks[id].holder = -1;
    release(id);
  }

  // -- queues

  void wake(int id) {
    task& t = tasks[id];
    if (t.st != state::waiting) return;
    t.st = state::ready;
    ready.push_back(id);
  }

  static void erase(std::deque<int>& q, int id) {
    for (auto it = q.begin(); it != q.end(); ++it) {
      if (*it == id) {
        q.erase(it);
        return;
      }
    }
  }

  void stop_joining(task& t) {
    if (t.joining == 0) return;
    auto& list = tasks[t.joining].joiners;
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (*it == t.id) {
        list.erase(it);
        break;
      }
    }
    t.joining = 0;
  }

  // -- channels

  // Takes every waiter of task `id` off every channel (a select waits on several).
  void withdraw(int id) {
    for (channel& c : channels) {
      for (auto* list : {&c.senders, &c.receivers}) {
        list->erase(std::remove_if(list->begin(), list->end(), [id](const waiter& w) { return w.id == id; }),
                    list->end());
      }
    }
  }

  // The waiter `w`, taken off its list, wakes its task; a select's other cases are withdrawn.
  // A shared_channel's wake from outside a task waits in `remote` for the scheduler's next step.
  void fire(const channel& c, const waiter& w) {
    tasks[w.id].fired_case = w.select_case;
    withdraw(w.id);
    if (c.shared && running == 0) {
      interrupted = true;
      return remote.push_back(w.id);
    }
    wake(w.id);
  }

  void take_remote_wakes() {
    for (int id : remote) wake(id);
    remote.clear();
  }

  bool offer(channel& c, long v) {
    if (!c.receivers.empty()) {
      const waiter w = c.receivers.front();
      c.receivers.pop_front();
      tasks[w.id].got_value = true;
      tasks[w.id].recv_value = v;
      fire(c, w);
      return true;
    }
    if (c.buffer.size() < c.capacity) {
      c.buffer.push_back(v);
      return true;
    }
    return false;
  }

  bool take(channel& c, long& v) {
    if (!c.buffer.empty()) {
      v = c.buffer.front();
      c.buffer.pop_front();
      if (!c.senders.empty()) {
        const waiter w = c.senders.front();
        c.senders.pop_front();
        c.buffer.push_back(w.value);
        fire(c, w);
      }
      return true;
    }
    if (!c.senders.empty()) {
      const waiter w = c.senders.front();
      c.senders.pop_front();
      v = w.value;
      fire(c, w);
      return true;
    }
    return false;
  }

  static bool recv_ready(const channel& c) { return !c.buffer.empty() || !c.senders.empty() || c.closed; }
  static bool send_ready(const channel& c) { return c.closed || !c.receivers.empty() || c.buffer.size() < c.capacity; }

  bool close(channel& c) {
    if (c.closed) return false;
    c.closed = true;
    for (auto* list : {&c.receivers, &c.senders}) {
      while (!list->empty()) {
        const waiter w = list->front();
        list->pop_front();
        tasks[w.id].woken_closed = true;
        fire(c, w);
      }
    }
    // A select woken to look again keeps its cases on their channels' lists until it runs: a
    // close meanwhile marks them, and the select then runs the first marked case as closed.
    for (task& t : tasks) {
      if (!t.select_restart) continue;
      const auto& cases = t.parked_select.cases;
      t.closed_while_woken.resize(cases.size());
      for (std::size_t i = 0; i < cases.size(); ++i) {
        if (&channels[cases[i].channel] == &c) t.closed_while_woken[i] = true;
      }
    }
    return true;
  }

  // -- running tasks

  // The outcome a parked op reports when its task goes on.
  std::string completion(task& t) {
    switch (t.wait) {
      case '>':
        return t.woken_closed ? code_text(jmpco::errc::channel_closed) : "ok";
      case '<':
        return t.got_value ? "v" + std::to_string(t.recv_value) : code_text(jmpco::errc::channel_closed);
      case 'j': {
        std::string r = collect(t.joining_done, t.joining_slot);
        release(t.joining_done);
        return r;
      }
      case '?':
      case '!':
        return select_completion(t);
      case 'a':
        return any_completion(t);
      case 'w':
        erase(fd_waiters, t.id);
        return read_byte();
      default:
        return "ok";
    }
  }

  std::string select_completion(const task& t) {
    const int i = t.fired_case;
    assert_model(i >= 0 && i < static_cast<int>(t.select_sends.size()), "a select woke with no case fired");
    if (t.select_sends[i]) return t.woken_closed ? code_text(jmpco::errc::channel_closed) : case_text(i, "ok");
    return case_text(i, t.got_value ? "v" + std::to_string(t.recv_value) : code_text(jmpco::errc::channel_closed));
  }

  // A parked wait_any goes on: the lowest of its tasks that has finished; its pins go.
  std::string any_completion(task& t) {
    const int first = first_finished(t.any_targets);
    assert_model(first >= 0, "a wait_any woke with none of its tasks finished");
    release_any_pins(t);
    return "i" + std::to_string(first);
  }

  int first_finished(const int (&targets)[2]) const {
    for (int i = 0; i < 2; ++i) {
      if (targets[i] != 0 && tasks[targets[i]].st == state::finished) return i;
    }
    return -1;
  }

  void release_any_pins(task& t) {
    for (int& target : t.any_targets) {
      if (target != 0) release(std::exchange(target, 0));
    }
  }

  // Takes the wait_any of task `id` off its tasks' lists.
  void withdraw_any(int id) {
    for (task& t : tasks) erase(t.any_waiters, id);
  }

  static void erase(std::vector<int>& list, int id) {
    list.erase(std::remove(list.begin(), list.end(), id), list.end());
  }

  static std::string case_text(std::size_t index, const std::string& got) { return "c" + std::to_string(index) + got; }

  static void assert_model(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "scheduler_fuzzer: the model is inconsistent: %s\n", what);
    __builtin_trap();
  }

  void clear_wait(task& t) {
    t.wait = 0;
    t.waits_shared = false;
    t.got_value = false;
    t.woken_closed = false;
    t.fired_case = -1;
    t.select_sends.clear();
    t.select_restart = false;
    t.closed_while_woken.clear();
  }

  void resume(int id) {
    task& t = tasks[id];
    const int outer = running;
    running = id;
    t.st = state::running;
    if (t.select_restart && !select_again(id)) {  // parked again
      running = outer;
      return;
    }
    if (t.wait != 0) {
      const char w = t.wait;
      const bool in_destructor = t.wait_in_destructor;
      const std::string outcome = completion(t);
      clear_wait(t);
      note(log, id, std::string(in_destructor ? "~" : "") + w + "=" + outcome);
    }
    t.started = true;
    go_on(id);
    running = outer;
    task& after = tasks[id];
    if (after.st == state::finished) return finish(id);
    if (after.st == state::running) {  // yielded: ready again
      after.st = state::ready;
      ready.push_back(id);
    }
  }

  // Runs task `id` from where it is until it parks or its body is left. The task's state is
  // `finished` (the body is left: finish() still to run), `waiting`, or `running` (yielded).
  void go_on(int id) {
    for (;;) {
      if (skip) return;
      task& t = tasks[id];
      if (!t.unwinding) {
        const program& prog = program_of(t.prog);
        if (t.pc >= prog.size()) {
          t.unwinding = true;
          t.exception = false;
          continue;
        }
        const op& o = prog[t.pc++];
        if (o.code == 'o' || o.code == 'O') {
          t.objects.push_back({++next_object, &o});
          continue;
        }
        if (o.code == 'e') {
          note(log, id, "throw");
          t.unwinding = true;
          t.exception = true;
          t.failure = jmpco::errc::exception;
          continue;
        }
        if (run_op(id, o, false)) return;
        continue;
      }
      if (t.objects.empty()) {
        if (!t.exception) {
          note(log, id, "ret");
          t.result = id;
        }
        t.st = state::finished;
        return;
      }
      const object obj = t.objects.back();
      t.objects.pop_back();
      note(log, id, "~o" + std::to_string(obj.id));
      if (obj.o->code == 'O' && obj.o->dcode != 0) {
        if (run_op(id, destructor_op(*obj.o), true)) return;
      }
    }
  }

  // The wait of an op that must park: true if it parked (the caller stops), false if it did
  // not (the op's result is logged).
  bool park(int id, char w, bool in_destructor, bool ready_again) {
    task& t = tasks[id];
    if (t.kill_seen) {
      note(log, id, std::string(in_destructor ? "~" : "") + w + "=" + code_text(jmpco::errc::yield_while_closing));
      return false;
    }
    t.wait = w;
    t.wait_in_destructor = in_destructor;
    if (!ready_again) t.st = state::waiting;
    return true;
  }

  // A wait whose task goes into `queue` (the sleepers, the fd's waiters: those add the newest
  // first); true if it parked.
  bool park_in(int id, char w, bool in_destructor, std::deque<int>& queue, bool newest_first) {
    if (!park(id, w, in_destructor, false)) return false;
    if (skip) return true;
    if (newest_first) {
      queue.push_front(id);
    } else {
      queue.push_back(id);
    }
    return true;
  }

  // One op of a task (id > 0) or of the main context (id == 0); true if the task parked.
  bool run_op(int id, const op& o, bool in_destructor) {
    const char code = o.code;
    const int a = o.a;
    const int b = o.b;
    const std::string tag = std::string(in_destructor ? "~" : "") + code;
    auto result = [&](const std::string& r) { note(log, id, tag + "=" + r); };
    auto failed = [&](jmpco::errc c) { result(code_text(c)); };
    const bool main = id == 0;
    switch (code) {
      case 's': {
        if (spawned >= kMaxTasks) return result("full"), false;
        task t;
        t.id = static_cast<int>(tasks.size());
        t.prog = a;
        t.generation = generation;
        tasks.push_back(t);
        ready.push_back(t.id);
        ++live;
        const int slot = spawned++ % kSlots;
        drop_handle(slot);
        slots[slot] = t.id;
        tasks[t.id].holder = slot;
        result("t" + std::to_string(t.id));
        return false;
      }
      case '>':
      case ')': {
        channel& c = channels[a];
        const long v = ++next_value;
        if (c.closed) return failed(jmpco::errc::channel_closed), false;
        if (offer(c, v)) return result("ok"), false;
        if (code == ')') return failed(jmpco::errc::would_block), false;
        if (main) return failed(jmpco::errc::outside_task), false;
        if (!park(id, code, in_destructor, false)) return false;
        if (skip) return true;
        tasks[id].waits_shared = c.shared;
        c.senders.push_back({id, -1, v});
        return true;
      }
      case 'M': {
        channel& c = channels[a];
        const select_spec::one_case one{true, a, ++next_value, true};
        if (c.closed) return failed(jmpco::errc::channel_closed), false;
        if (main && !send_ready(c)) return failed(jmpco::errc::outside_task), false;
        return move_threw(id, one, tag, in_destructor);
      }
      case '<':
      case '(': {
        channel& c = channels[a];
        long v = 0;
        if (take(c, v)) return result("v" + std::to_string(v)), false;
        if (c.closed) return failed(jmpco::errc::channel_closed), false;
        if (code == '(') return failed(jmpco::errc::would_block), false;
        if (main) return failed(jmpco::errc::outside_task), false;
        if (!park(id, code, in_destructor, false)) return false;
        if (skip) return true;
        tasks[id].waits_shared = c.shared;
        c.receivers.push_back({id, -1, 0});
        return true;
      }
      case 'x':
        if (!close(channels[a])) return failed(jmpco::errc::channel_closed), false;
        return result("ok"), false;
      case 'N':
        close(channels[a]);
        channels[a] = channel();
        channels[a].capacity = static_cast<std::size_t>(b);
        channels[a].shared = a == kShared;
        return result("ok"), false;
      case 'y':
        if (main) return failed(jmpco::errc::outside_task), false;
        if (!park(id, code, in_destructor, true)) return false;
        return true;
      case 'z':
        if (main) return failed(jmpco::errc::outside_task), false;
        return park_in(id, code, in_destructor, sleepers[early], false);
      case 'Z':
        if (main) return failed(jmpco::errc::outside_task), false;
        return park_in(id, code, in_destructor, huge_sleep_queue(a), false);
      case 'j':
        return join(id, a, tag, in_destructor);
      case 'a':
        return wait_any(id, a, b, tag, in_destructor);
      case 'k': {
        const int target = held(a);
        if (target == 0) return failed(jmpco::errc::empty_handle), false;
        task& t = tasks[target];
        if (t.st == state::finished || t.generation != generation) return result("ok"), false;
        if (t.st == state::running)
          return failed(target == running ? jmpco::errc::close_running : jmpco::errc::close_normal), false;
        kill(target);
        return result("ok"), false;
      }
      case 'd':
        drop_handle(a);
        return result("ok"), false;
      case 'm': {
        const int to = (a + 1) % kSlots;
        const int moved = slots[a];
        drop_handle(to);
        slots[a] = 0;
        slots[to] = moved;
        if (moved != 0) tasks[moved].holder = to;
        return result("ok"), false;
      }
      case '?':
      case '!':
        return select(id, o, tag, in_destructor);
      case 'w':
        if (main) return failed(jmpco::errc::outside_task), false;
        return park_in(id, code, in_destructor, fd_waiters, true);
      case 'W':
        if (fd_writer_closed) return result("closed"), false;
        if (fd_bytes >= kFdBytes) return result("full"), false;
        ++fd_bytes;
        return result("ok"), false;
      case 'C':
        if (fd_writer_closed) return result("closed"), false;
        fd_writer_closed = true;
        return result("ok"), false;
      case 'r':
        if (!main) return false;
        return result(std::to_string(run_once())), false;
      case 't':  // run_once(0), run_once(1ms): the sleepers' past deadlines are due at once
      case 'T':
        if (!main) return false;
        return result(std::to_string(run_once_blocking())), false;
      case 'R':
        if (!main) return false;
        while (step()) {
        }
        if (skip) return true;
        return result(live != 0 ? code_text(jmpco::errc::deadlock) : "ok"), false;
      case 'D':
        if (!main) return false;
        destroy_scheduler();
        return result("ok"), false;
      default:
        return false;  // `e`, `o` and `O` as a destructor's op, or out of place: nothing
    }
  }

  // A select: the first ready case in a random order, else the default, else a wait on every
  // case.
  bool select(int id, const op& o, const std::string& tag, bool in_destructor) {
    auto result = [&](const std::string& r) { note(log, id, tag + "=" + r); };
    const select_spec s = select_of(o.code, o.a, o.b, o.c, next_value);
    const std::size_t count = s.positions();
    std::vector<std::size_t> order(count);
    for (std::size_t k = 0; k < count; ++k) order[k] = k;
    for (std::size_t k = 0; k < count; ++k) {
      // detail::case_order: position k drawn when the select gets there.
      if (count - k > 1) std::swap(order[k], order[k + random.next(count - k)]);
      const std::size_t i = order[k];
      if (i < s.cases.size() && case_ready(s.cases[i])) {
        if (s.cases[i].throws && !channels[s.cases[i].channel].closed)
          return move_threw(id, s.cases[i], tag, in_destructor);
        return result(run_ready_case(s.cases[i], i)), false;
      }
    }
    if (s.with_default) return result(case_text(s.cases.size(), "dflt")), false;
    if (id == 0) return result(code_text(jmpco::errc::outside_task)), false;
    for (const auto& one : s.cases) {  // each send case's value moves into its waiter first
      if (one.throws) return move_threw(id, one, tag, in_destructor);
    }
    if (!park(id, o.code, in_destructor, false)) return false;
    if (skip) return true;
    task& t = tasks[id];
    t.parked_select = s;
    t.parked_order = order;
    link_select(id);
    return true;
  }

  // A parked select's cases, each on its channel's list.
  void link_select(int id) {
    task& t = tasks[id];
    const select_spec& s = t.parked_select;
    for (std::size_t i = 0; i < s.cases.size(); ++i) {
      const auto& one = s.cases[i];
      channel& c = channels[one.channel];
      (one.send ? c.senders : c.receivers).push_back({id, static_cast<int>(i), one.value});
      t.select_sends.push_back(one.send);
      t.waits_shared = t.waits_shared || c.shared;
    }
  }

  // A select woken by a failed handoff looks at its cases again in the order it drew (no draw):
  // the first ready one runs (its outcome logged, true), else it parks again (false).
  bool select_again(int id) {
    task& t = tasks[id];
    for (std::size_t i = 0; i < t.closed_while_woken.size(); ++i) {
      if (!t.closed_while_woken[i]) continue;
      const bool send = t.parked_select.cases[i].send;
      const std::string closed = code_text(jmpco::errc::channel_closed);
      note(log, id,
           std::string(t.wait_in_destructor ? "~" : "") + t.wait + "=" + (send ? closed : case_text(i, closed)));
      clear_wait(t);
      return true;
    }
    t.closed_while_woken.clear();
    t.select_restart = false;
    t.fired_case = -1;
    t.got_value = false;
    t.woken_closed = false;
    t.select_sends.clear();
    t.waits_shared = false;
    const select_spec& s = t.parked_select;
    for (std::size_t i : t.parked_order) {
      if (i < s.cases.size() && case_ready(s.cases[i])) {
        const std::string outcome = run_ready_case(s.cases[i], i);
        note(log, id, std::string(t.wait_in_destructor ? "~" : "") + t.wait + "=" + outcome);
        clear_wait(t);
        return true;
      }
    }
    t.st = state::waiting;
    link_select(id);
    return false;
  }

  // A send whose value's move throws, where it would have moved: the first waiting receiver
  // (if any) was claimed for it and is let go (a plain one stays parked, a select's case starts
  // its select over); the exception comes out of the op (a task fails; not out of a destructor,
  // which the harness keeps from throwing, nor on the main context).
  bool move_threw(int id, const select_spec::one_case& one, const std::string& tag, bool in_destructor) {
    channel& c = channels[one.channel];
    if (!c.receivers.empty() && c.receivers.front().select_case >= 0) {
      const waiter w = c.receivers.front();
      c.receivers.pop_front();
      tasks[w.id].select_restart = true;
      fire(c, w);
    }
    note(log, id, tag + "=throw");
    if (id == 0 || in_destructor) return false;
    task& t = tasks[id];
    t.unwinding = true;
    t.exception = true;
    t.failure = jmpco::errc::exception;
    return false;
  }

  // After a wait for the reading end: one byte, the end of the stream, or none (another task
  // woken by the same byte read it).
  std::string read_byte() {
    if (fd_bytes > 0) return --fd_bytes, "r1";
    return fd_writer_closed ? "r0" : "r-";
  }

  bool fd_readable() const { return fd_bytes > 0 || fd_writer_closed; }

  // scheduler::block_until: an interrupt() that came before ends it at once; else the fd's
  // waiters wake if it is readable. False if nothing can end it (it would block for good).
  bool block_until(bool has_deadline) {
    if (interrupted) {
      interrupted = false;
      return true;
    }
    if (fd_readable() && !fd_waiters.empty()) {
      for (int id : fd_waiters) wake(id);
      return true;
    }
    return has_deadline;
  }

  bool case_ready(const select_spec::one_case& one) const {
    return one.send ? send_ready(channels[one.channel]) : recv_ready(channels[one.channel]);
  }

  std::string run_ready_case(const select_spec::one_case& one, std::size_t index) {
    channel& c = channels[one.channel];
    if (one.send) {
      if (c.closed) return code_text(jmpco::errc::channel_closed);
      assert_model(offer(c, one.value), "a ready send case found no taker");
      return case_text(index, "ok");
    }
    long v = 0;
    if (take(c, v)) return case_text(index, "v" + std::to_string(v));
    return case_text(index, code_text(jmpco::errc::channel_closed));
  }

  bool join(int id, int slot, const std::string& tag, bool in_destructor) {
    auto result = [&](const std::string& r) { note(log, id, tag + "=" + r); };
    const int target = slots[slot];
    if (target == 0) return result(code_text(jmpco::errc::empty_handle)), false;
    if (target == id && id != 0) return result(code_text(jmpco::errc::join_self)), false;
    ++tasks[target].references;
    const bool waits = tasks[target].generation == generation && tasks[target].st != state::finished;
    if (waits && id == 0) {
      while (tasks[target].st != state::finished) {
        if (skip) return true;
        if (!step()) {
          release(target);
          return result(code_text(jmpco::errc::deadlock)), false;
        }
      }
    } else if (waits) {
      task& self = tasks[id];
      self.joining = target;
      tasks[target].joiners.insert(tasks[target].joiners.begin(), id);
      if (park(id, 'j', in_destructor, false)) {
        if (!skip) {
          self.joining_done = target;
          self.joining_slot = slot;
        }
        return true;
      }
      stop_joining(tasks[id]);
      release(target);
      return false;
    }
    const std::string r = collect(target, slot);
    release(target);
    result(r);
    return false;
  }

  // jmpco::wait_any(slots[a], slots[b]): misuse first, then a task that has finished, else a wait
  // (the main context runs the scheduler) with both tasks pinned.
  bool wait_any(int id, int slot_a, int slot_b, const std::string& tag, bool in_destructor) {
    auto result = [&](const std::string& r) { note(log, id, tag + "=" + r); };
    const int targets[2] = {held(slot_a), held(slot_b)};
    if (id != 0 && (targets[0] == id || targets[1] == id)) return result(code_text(jmpco::errc::join_self)), false;
    if (targets[0] == 0 && targets[1] == 0) return result(code_text(jmpco::errc::empty_handle)), false;
    if (const int first = first_finished(targets); first >= 0) return result("i" + std::to_string(first)), false;
    task& self = tasks[id];
    for (int i = 0; i < 2; ++i) {
      self.any_targets[i] = targets[i];
      if (targets[i] != 0) ++tasks[targets[i]].references;
    }
    if (id == 0) {
      while (first_finished(targets) < 0) {
        if (skip) return true;
        if (!step()) {
          release_any_pins(tasks[0]);
          return result(code_text(jmpco::errc::deadlock)), false;
        }
      }
      release_any_pins(tasks[0]);
      return result("i" + std::to_string(first_finished(targets))), false;
    }
    if (!park(id, 'a', in_destructor, false)) {  // killed before: it could not park
      release_any_pins(tasks[id]);
      return false;
    }
    if (skip) return true;
    for (int target : targets) {  // linked in argument order, each at the front of its task's list
      if (target != 0) tasks[target].any_waiters.insert(tasks[target].any_waiters.begin(), id);
    }
    return true;
  }

  void finish(int id) {
    task& t = tasks[id];
    t.st = state::finished;
    --live;
    std::vector<int> joiners = t.joiners;
    t.joiners.clear();
    if (jmpco_fuzz::kPlantedDivergence) {  // wrong on purpose: joiners woken first come, first served
      std::reverse(joiners.begin(), joiners.end());
    }
    for (int j : joiners) {
      tasks[j].joining = 0;
      wake(j);
    }
    while (!tasks[id].any_waiters.empty()) {  // each wait_any wakes once, off its other task's list
      const int waiter = tasks[id].any_waiters.front();
      withdraw_any(waiter);
      wake(waiter);
    }
    release(id);
  }

  void kill(int id) {
    task& t = tasks[id];
    if (t.st == state::ready) erase(ready, id);
    for (auto& queue : sleepers) erase(queue, id);
    erase(forever, id);
    erase(remote, id);
    erase(fd_waiters, id);
    stop_joining(t);
    withdraw(id);
    withdraw_any(id);
    if (t.started && !skip) {
      const int outer = running;
      running = id;
      t.st = state::running;
      t.kill_seen = true;
      // The wait it was in returns errc::closing; a join's own reference goes with it.
      const char w = t.wait;
      if (w == 'j') release(t.joining_done);
      if (w == 'a') release_any_pins(t);
      note(log, id, std::string(t.wait_in_destructor ? "~" : "") + w + "=" + code_text(jmpco::errc::closing));
      clear_wait(t);
      go_on(id);
      running = outer;
    }
    tasks[id].failure = jmpco::errc::killed;
    finish(id);
  }

  bool step() {
    take_remote_wakes();
    wake_sleepers();
    if (ready.empty() && (!fd_waiters.empty() || !forever.empty())) {  // the real step blocks
      if (block_until(false)) return true;
      skip = true;
      return false;
    }
    if (ready.empty()) {
      skip = skip || waits_for_shared();  // the real step blocks for another thread's wake
      return false;
    }
    const int id = ready.front();
    ready.pop_front();
    resume(id);
    return true;
  }

  void wake_sleepers() {
    for (auto& queue : sleepers) {
      for (int id : queue) wake(id);
      queue.clear();
    }
  }

  // Where `Z K` sleeps (see huge_sleep).
  std::deque<int>& huge_sleep_queue(int k) {
    switch (k) {
      case 0:
      case 2:
      case 4:
        return forever;
      case 3:
      case 5:
      case 6:
        return sleepers[long_past];
      default:
        return sleepers[now_due];
    }
  }

  bool waits_for_shared() const {
    for (const task& t : tasks) {
      if (t.generation == generation && t.st == state::waiting && t.waits_shared) return true;
    }
    return false;
  }

  std::size_t run_once_blocking() {
    take_remote_wakes();
    wake_sleepers();
    if (ready.empty()) block_until(true);
    return run_once();
  }

  std::size_t run_once() {
    take_remote_wakes();
    wake_sleepers();
    const std::size_t n = ready.size();
    std::size_t ran = 0;
    for (; ran < n && !ready.empty() && !skip; ++ran) {
      const int id = ready.front();
      ready.pop_front();
      resume(id);
    }
    return ran;
  }

  void destroy_scheduler() {
    for (;;) {
      int victim = 0;
      for (int i = static_cast<int>(tasks.size()) - 1; i > 0; --i) {
        if (tasks[i].generation == generation && tasks[i].st != state::finished) {
          victim = i;
          break;
        }
      }
      if (victim == 0 || skip) break;
      kill(victim);
    }
    ready.clear();
    for (auto& queue : sleepers) queue.clear();
    forever.clear();
    remote.clear();
    interrupted = false;
    live = 0;
    ++generation;
  }

  // The main program, then what the end of an input destroys.
  void run_main() {
    go_on_main();
    if (skip) return;
    note(log, 0, "end");
    destroy_scheduler();
    for (int s = 0; s < kSlots; ++s) drop_handle(s);
  }

  void go_on_main() {
    const program& prog = program_of(0);
    std::vector<object> objects;
    for (const op& o : prog) {
      if (skip) return;
      if (o.code == 'o' || o.code == 'O') {
        objects.push_back({++next_object, &o});
        continue;
      }
      run_op(0, o, false);
    }
    while (!objects.empty() && !skip) {
      const object obj = objects.back();
      objects.pop_back();
      note(log, 0, "~o" + std::to_string(obj.id));
      if (obj.o->code == 'O' && obj.o->dcode != 0) run_op(0, destructor_op(*obj.o), true);
    }
  }
};

// ---- the real run -------------------------------------------------------------------------------

struct move_failure : std::runtime_error {
  move_failure() : std::runtime_error("a value's move failed") {}
};

// A channel's value; counted. `moves_left`: how many moves it takes before one throws (-1: any).
struct value {
  static inline long live = 0;
  long v;
  int moves_left;
  explicit value(long v, int moves_left = -1) : v(v), moves_left(moves_left) { ++live; }
  value(value&& other) : v(other.v), moves_left(other.moves_left) {
    if (moves_left == 0) throw move_failure();
    if (moves_left > 0) --moves_left;
    ++live;
  }
  value(const value&) = delete;
  value& operator=(const value&) = delete;
  ~value() { --live; }
};

struct body_failure : std::runtime_error {
  body_failure() : std::runtime_error("task body failed") {}
};

struct world {
  const std::vector<program>* programs = nullptr;
  event_log log;
  jmpco::scheduler* sched = nullptr;  // still set while it is destroyed: destructors spawn into it
  std::unique_ptr<jmpco::channel<value>> channels[kChannels];
  std::unique_ptr<jmpco::shared_channel<value>> shared;
  int fd_read = -1;  // a socketpair: tasks wait for this end, ops write to and close the other
  int fd_write = -1;
  jmpco::task<long> slots[kSlots];
  long next_value = 0;
  int next_object = 0;
  int next_task = 0;
  int spawned = 0;
  long unjoined = 0;
  long live_objects = 0;
  long sleep_serial = 0;

  void destroy_scheduler() {
    delete sched;
    sched = nullptr;
  }
  void new_scheduler() {
    sched = new jmpco::scheduler();
    sched->on_unjoined_failure([](const jmpco::error&, void* self) noexcept { ++static_cast<world*>(self)->unjoined; },
                               this);
  }
};

world* W = nullptr;

void run_op(int actor, const op& o, bool in_destructor);

struct counted_object {
  int id;
  int actor;
  const op* o;
  counted_object(int actor, const op* o) : id(++W->next_object), actor(actor), o(o) { ++W->live_objects; }
  counted_object(const counted_object&) = delete;
  counted_object& operator=(const counted_object&) = delete;
  ~counted_object() {
    --W->live_objects;
    note(W->log, actor, "~o" + std::to_string(id));
    if (o->code == 'O' && o->dcode != 0) run_op(actor, destructor_op(*o), true);
  }
};

const program& program_of(int p) {
  static const program empty;
  return p < static_cast<int>(W->programs->size()) ? (*W->programs)[p] : empty;
}

// Runs ops from `pc`; an object lives in this frame while the rest of the program runs inside.
void exec(int actor, const program& prog, std::size_t pc) {
  for (; pc < prog.size(); ++pc) {
    const op& o = prog[pc];
    if (o.code == 'o' || o.code == 'O') {
      counted_object guard(actor, &o);
      exec(actor, prog, pc + 1);
      return;
    }
    if (o.code == 'e') {
      if (actor == 0) continue;
      note(W->log, actor, "throw");
      throw body_failure();
    }
    run_op(actor, o, false);
  }
}

// `Z K`: sleep_for a duration the clock cannot hold (saturated: forever, or long past) or none.
jmpco::result<void> huge_sleep(int k) {
  using seconds = std::chrono::duration<double>;
  const double inf = std::numeric_limits<double>::infinity();
  switch (k) {
    case 0:
      return jmpco::this_task::sleep_for(std::chrono::hours::max());
    case 1:
      return jmpco::this_task::sleep_for(seconds(std::numeric_limits<double>::quiet_NaN()));
    case 2:
      return jmpco::this_task::sleep_for(seconds(1e300));
    case 3:
      return jmpco::this_task::sleep_for(seconds(-1e300));
    case 4:
      return jmpco::this_task::sleep_for(seconds(inf));
    case 5:
      return jmpco::this_task::sleep_for(seconds(-inf));
    case 6:
      return jmpco::this_task::sleep_for(std::chrono::hours::min());
    default:
      return jmpco::this_task::sleep_for(std::chrono::nanoseconds::zero());
  }
}

template <class T>
std::string outcome_text(const jmpco::result<T>& r) {
  if (!r) return code_text(r.code());
  if constexpr (std::is_same_v<T, value>) {
    return "v" + std::to_string(r.value().v);
  } else if constexpr (std::is_same_v<T, long>) {
    return "v" + std::to_string(r.value());
  } else {
    return "ok";
  }
}

// jmpco::select over the cases of `s`, built one at a time (each case is its own type); `got`
// says what the case that ran brought.
template <class... C>
jmpco::result<std::size_t> select_with(const select_spec& s, std::string& got, C&... cases) {
  if constexpr (sizeof...(C) < 2) {  // a select op has 2 or 3 cases
    (void)s, (void)got;
    __builtin_trap();
  } else {
    if (s.with_default) return jmpco::select(cases..., jmpco::default_case([&got] { got = "dflt"; }));
    return jmpco::select(cases...);
  }
}

template <class Channel, class... C>
jmpco::result<std::size_t> add_case(Channel& ch, const select_spec& s, std::string& got, std::size_t i, C&... built);

template <class... C>
jmpco::result<std::size_t> build_select(const select_spec& s, std::string& got, std::size_t i, C&... built) {
  if constexpr (sizeof...(C) < 3) {
    if (i < s.cases.size()) {
      if (s.cases[i].channel == kShared) return add_case(*W->shared, s, got, i, built...);
      return add_case(*W->channels[s.cases[i].channel], s, got, i, built...);
    }
  }
  return select_with(s, got, built...);
}

// Case `i` of `s`, on `ch`, after the cases built so far.
// The callbacks of the cases: a type each, not a lambda per place, so that a select's type depends
// only on its channels and directions. Each case type multiplies the selects the compiler
// instantiates (up to three cases: kinds^3), and each one is seconds of compile time.
struct sent_callback {
  std::string* got;
  void operator()() const { *got = "ok"; }
};
struct received_callback {
  std::string* got;
  void operator()(jmpco::result<value> r) const { *got = outcome_text(r); }
};

// Case `i` of `s`, on `ch`, after the cases built so far.
template <class Channel, class... C>
jmpco::result<std::size_t> add_case(Channel& ch, const select_spec& s, std::string& got, std::size_t i, C&... built) {
  const select_spec::one_case& one = s.cases[i];
  if (one.send || one.throws) {  // a throwing value's one move is into the case
    auto c = jmpco::send_case(ch, value(one.value, one.throws ? 1 : -1), sent_callback{&got});
    return build_select(s, got, i + 1, built..., c);
  }
  auto c = jmpco::recv_case(ch, received_callback{&got});
  return build_select(s, got, i + 1, built..., c);
}

std::string select_text(const select_spec& s) {
  std::string got;
  const jmpco::result<std::size_t> r = build_select(s, got, 0);
  if (!r) return code_text(r.code());
  return "c" + std::to_string(r.value()) + got;
}

void run_plain_op(int actor, const op& o, bool in_destructor);

// An op; one whose value's move throws logs it, and the exception fails the task (not the main
// context, nor a destructor, which must not throw).
void run_op(int actor, const op& o, bool in_destructor) {
  try {
    run_plain_op(actor, o, in_destructor);
  } catch (const move_failure&) {
    note(W->log, actor, std::string(in_destructor ? "~" : "") + o.code + "=throw");
    if (actor != 0 && !in_destructor) throw;
  }
}

void run_plain_op(int actor, const op& o, bool in_destructor) {
  world& w = *W;
  const char code = o.code;
  const int a = o.a;
  const int b = o.b;
  const std::string tag = std::string(in_destructor ? "~" : "") + code;
  auto result = [&](const std::string& r) { note(w.log, actor, tag + "=" + r); };
  const bool main = actor == 0;
  switch (code) {
    case 's': {
      if (w.spawned >= kMaxTasks) return result("full");
      const int id = ++w.next_task;
      const int prog = a;
      const int slot = w.spawned++ % kSlots;
      w.slots[slot] = w.sched->spawn([id, prog]() -> long {
        exec(id, program_of(prog), 0);
        note(W->log, id, "ret");
        return id;
      });
      return result("t" + std::to_string(id));
    }
    case '>':
      if (a == kShared) return result(outcome_text(w.shared->send(value(++w.next_value))));
      return result(outcome_text(w.channels[a]->send(value(++w.next_value))));
    case 'M':
      if (a == kShared) return result(outcome_text(w.shared->send(value(++w.next_value, 0))));
      return result(outcome_text(w.channels[a]->send(value(++w.next_value, 0))));
    case ')':
      if (a == kShared) return result(outcome_text(w.shared->try_send(value(++w.next_value))));
      return result(outcome_text(w.channels[a]->try_send(value(++w.next_value))));
    case '<':
      return result(a == kShared ? outcome_text(w.shared->recv()) : outcome_text(w.channels[a]->recv()));
    case '(':
      return result(a == kShared ? outcome_text(w.shared->try_recv()) : outcome_text(w.channels[a]->try_recv()));
    case 'x':
      return result(a == kShared ? outcome_text(w.shared->close()) : outcome_text(w.channels[a]->close()));
    case 'N':
      if (a == kShared) {
        w.shared = std::make_unique<jmpco::shared_channel<value>>(static_cast<std::size_t>(b));
      } else {
        w.channels[a] = std::make_unique<jmpco::channel<value>>(static_cast<std::size_t>(b));
      }
      return result("ok");
    case 'y':
      return result(outcome_text(jmpco::this_task::yield()));
    case 'z': {
      const auto past = jmpco::scheduler::clock::time_point(std::chrono::nanoseconds(++w.sleep_serial));
      return result(outcome_text(jmpco::this_task::sleep_until(past)));
    }
    case 'Z':
      return result(outcome_text(huge_sleep(a)));
    case 'j':
      return result(outcome_text(w.slots[a].join()));
    case 'k':
      return result(outcome_text(w.slots[a].kill()));
    case 'a': {
      const jmpco::result<std::size_t> r = jmpco::wait_any(w.slots[a], w.slots[b]);
      return result(r ? "i" + std::to_string(r.value()) : code_text(r.code()));
    }
    case 'd':
      w.slots[a].detach();
      return result("ok");
    case 'm':
      w.slots[(a + 1) % kSlots] = std::move(w.slots[a]);
      return result("ok");
    case '?':
    case '!':
      return result(select_text(select_of(code, a, b, o.c, w.next_value)));
    case 'w': {
      const auto r = jmpco::this_task::wait_fd(w.fd_read, jmpco::fd_event::readable);
      if (!r) return result(code_text(r.code()));
      char byte = 0;
      const ssize_t n = ::read(w.fd_read, &byte, 1);
      return result(n == 1 ? "r1" : n == 0 ? "r0" : "r-");
    }
    case 'W': {
      if (w.fd_write < 0) return result("closed");
      int unread = 0;
      if (::ioctl(w.fd_read, FIONREAD, &unread) != 0) std::abort();
      if (unread >= kFdBytes) return result("full");
      const char byte = 'b';
      if (::write(w.fd_write, &byte, 1) != 1) std::abort();  // kFdBytes fit
      return result("ok");
    }
    case 'C':
      if (w.fd_write < 0) return result("closed");
      ::close(std::exchange(w.fd_write, -1));
      return result("ok");
    case 'r':
      if (main) result(std::to_string(w.sched->run_once()));
      return;
    case 't':
      if (main) result(std::to_string(w.sched->run_once(std::chrono::milliseconds(0))));
      return;
    case 'T':
      if (main) result(std::to_string(w.sched->run_once(std::chrono::milliseconds(1))));
      return;
    case 'R':
      if (main) result(outcome_text(w.sched->run()));
      return;
    case 'D':
      if (!main) return;
      w.destroy_scheduler();
      w.new_scheduler();
      return result("ok");
    default:
      return;
  }
}

struct input {
  std::vector<program> programs;
  std::string text;
};

input current;

[[noreturn]] void diverge(const event_log& expected, const event_log& got, const char* what) {
  std::size_t first = 0;
  while (first < expected.size() && first < got.size() && expected[first] == got[first]) ++first;
  std::fprintf(stderr, "scheduler_fuzzer: DIVERGENCE from the model: %s\ninput: %s\n", what, current.text.c_str());
  std::fprintf(stderr, "select draws before this input: %llu (JMPCO_FUZZ_SELECT_DRAWS=%llu replays them)\n",
               worker_random.draws, worker_random.draws);
  const std::size_t from = first > 8 ? first - 8 : 0;
  std::fprintf(stderr, "  %-24s %s\n", "model", "jmpco");
  for (std::size_t i = from; i < first + 8 && (i < expected.size() || i < got.size()); ++i) {
    std::fprintf(stderr, "%c %-24s %s\n", i == first ? '>' : ' ', i < expected.size() ? expected[i].c_str() : "-",
                 i < got.size() ? got[i].c_str() : "-");
  }
  __builtin_trap();
}

// JMPCO_FUZZ_SELECT_DRAWS=N: the worker's first input starts after N select draws.
void skip_select_draws() {
  static bool done = false;
  if (done) return;
  done = true;
  const char* n = std::getenv("JMPCO_FUZZ_SELECT_DRAWS");
  if (n == nullptr) return;
  for (unsigned long long i = std::strtoull(n, nullptr, 10); i != 0; --i) {
    jmpco::detail::select_random(2);
    worker_random.next(2);
  }
}

void* run_input(void*) {
  skip_select_draws();
  model m(&current.programs);
  m.random = worker_random;
  m.run_main();
  if (m.skip) return nullptr;  // a destructor waits on after a kill, or a wait for good

  world w;
  w.programs = &current.programs;
  W = &w;
  w.new_scheduler();
  for (int i = 0; i < kChannels; ++i)
    w.channels[i] = std::make_unique<jmpco::channel<value>>(static_cast<std::size_t>(i));
  w.shared = std::make_unique<jmpco::shared_channel<value>>(kSharedCapacity);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) std::abort();
  w.fd_read = pair[0];
  w.fd_write = pair[1];
  exec(0, program_of(0), 0);
  note(w.log, 0, "end");
  w.destroy_scheduler();
  for (auto& s : w.slots) s.detach();
  for (auto& c : w.channels) c.reset();
  w.shared.reset();
  ::close(w.fd_read);
  if (w.fd_write >= 0) ::close(w.fd_write);
  W = nullptr;

  if (std::getenv("JMPCO_FUZZ_TRACE") != nullptr) {
    std::fprintf(stderr, "(select draws before this input: %llu)\n", worker_random.draws);
    for (const std::string& e : w.log) std::fprintf(stderr, "%s\n", e.c_str());
  }
  if (m.log != w.log) diverge(m.log, w.log, "the logs differ");
  if (m.unjoined != w.unjoined) {
    std::fprintf(stderr, "unjoined failures: model %ld, jmpco %ld\n", m.unjoined, w.unjoined);
    diverge(m.log, w.log, "unjoined failure counts differ");
  }
  if (value::live != 0) diverge(m.log, w.log, "channel values leaked or destroyed twice");
  if (w.live_objects != 0) diverge(m.log, w.log, "counted objects left alive");
  if (jmpco::this_coroutine::running() != nullptr || jmpco::coroutine_core::level() != 0)
    diverge(m.log, w.log, "the thread's main context is not clean after the input");
  worker_random = m.random;  // as many draws as the real selects made: their logs agree
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  current.programs.clear();
  current.text.assign(reinterpret_cast<const char*>(data), size);
  const std::uint8_t* start = data;
  const std::uint8_t* end = data + size;
  for (const std::uint8_t* p = data;; ++p) {
    if (p == end || *p == '|') {
      current.programs.push_back(parse(start, p));
      if (p == end || current.programs.size() >= static_cast<std::size_t>(kPrograms)) break;
      start = p + 1;
    }
  }
  static jmpco_fuzz::big_stack_worker worker(kWorkerStack);
  worker.run(&run_input, nullptr);
  return 0;
}
