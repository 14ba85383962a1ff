// SPDX-License-Identifier: MIT
// scenario_fuzzer: structured scenarios on jmpco's C++ API, checked against a reference model of
// Lua's coroutine state machine.
//
// The input is split at '|' bytes into programs. Program 0 is run by the thread's main context;
// every coroutine created by a `c` operation gets one of the others as its body, and its body is
// an interpreter of that program: what it yields, which coroutines it resumes, closes or
// destroys, when it raises and how deep it recurses first are all decided by the input.
//
// Beside the real coroutines runs a model (struct model) of what Lua's rules say must happen:
// the status of every coroutine, which context is running, the nesting level of each context,
// the value each resume and each yield must receive, which context an error must reach and
// whether a pcall-like scope must catch it, when "C stack overflow" must come, what close()
// returns, and which counted objects must be alive on which coroutine's stack. Every operation
// is checked against it, and any difference prints what diverged and traps.
//
// Program syntax (one byte per operation, then its argument bytes; an argument byte that is an
// ASCII digit stands for that digit, so seeds can be written by hand; any other byte is mapped
// onto an operation, so every input is a program):
//   c S K P   create slot S: kind K (0 coroutine<long(long)>, 1 wrap, 2 generator<long>,
//             3 coroutine<tuple<long,string>(long,string)>), body = program P
//   z S K P   the same with jmpco's allocator failing (creation must fail cleanly)
//   r S       resume slot S (wraps and generators raise errors in the resumer)
//   R S       resume, then .value() (raises errors in the resumer)
//   u S       resume with the allocator failing during the switch
//   y         yield through the body's yielder        v  the same, allocator failing
//   Y M       yield with this_coroutine::try_yield (M even: the body's signature, odd: long(long))
//   e K       raise: 0 std::exception subclass, 1 int, 2 custom type, 3 jmpco::error via raise()
//   x         return from the body (ends the main program in program 0)
//   C S       close slot S           d S  destroy slot S's handle     m A B  move handle A into B
//   l N       set the nesting limit (digits: 1 2 3 5 10 20 50 100 200 250; else 1 + N % 250)
//   s M       stack reserve: M odd = larger than the thread's stack, even = default
//   p B       pcall: catch errors raised in B          P B  the same, spending a nesting level
//   t B       throw, catch, and run B inside the catch block
//   g M B     forced-unwind guard: on close, M even rethrows, M odd throws its own error instead
//   k B       catch (...) { throw; } around B          o B  a counted object alive during B
//   n D B     recurse D frames (digits: D * 200, else 8 * D) and run B at the bottom
//   w N B     run B 1 + N % 4 times
//   h K D B   a chain of D nested coroutines (digits: 1 2 3 10 50 100 197 199 200 255), each
//             resuming the next (K odd: with .value(), so errors kill every link), the last
//             running B; this is how nesting reaches the limit
//   [ ... ]   a block of operations
// Hostile use (issue 13):
//   D S       destroy slot S's handle whatever its state: a body may release its own coroutine
//             (or generator, or wrap) or one that is normal; it is closed and freed when it
//             hands control back (m moves running and normal handles of every kind too)
//   q M S B   an object alive during B whose destructor, on any exit (a close's unwind
//             included), acts on slot S: M%5 = 0 destroy it, 1 close it, 2 try_yield, 3 yield
//             with yielder::yield() (no-throw while an exception propagates), 4 move it to S+1
//   i         yield with try_yield from inside a noexcept function
//   j         yield with yielder::yield() (throws forced_unwind when closed)
//   b M       kind 4 only (coroutine<mv(mv)>): yield a value whose move throws, M even in the
//             body (before the switch), M odd in the resumer (after the switch)
//   T S       resume slot S (kind 4) with a value whose move throws in the resumer
//   a K       fail the K-th jmpco allocation from now (digits: 1 2 3 4 5 6 8 10 16 32), one
//             allocation, wherever it comes: creation, a switch, a close, a release's unwind
//   X         coroutine_core::run_deferred_closes()
//   U         rethrow a forced_unwind that a guard (g) kept from another coroutine's close
//   F S       from a signal handler on an mmap'd sigaltstack: resume slot S and try_yield;
//             both must be refused with errc::foreign_stack (or their usual misuse)
// Kind 4 of `c` is coroutine<mv(mv)>, a value whose move or copy throws on demand.
//
// The model follows a close wherever jmpco starts it: the forced unwind is entered where the
// closed yield returns errc::closing (or throws), and left where the body exits by an exception;
// a release whose unwind did not arrive must have met a failed allocation and be counted by
// coroutine_core::deferred_closes().
//
// Limits per input: 2000 operations (deep stacks cost more), 64 coroutines created in slots and
// 1024 in chains, 16 slots, 3000 recursion frames alive at once. Environment:
// JMPCO_FUZZ_TRACE=1 prints the programs and every operation, JMPCO_FUZZ_STATS=1 counts events.
//
// In scenario_fuzzer_planted (jmpco_fuzz::kPlantedDivergence) the model is deliberately wrong
// about the nesting limit (off by one); fuzz/check_divergence_detection.sh shows that it traps.
#include <signal.h>
#include <sys/mman.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "jmpco/jmpco.hpp"

#ifndef JMPCO_FUZZ_OLD_API
#define JMPCO_FUZZ_OLD_API 0
#endif

JMPCO_FUZZ_SANITIZER_DEFAULTS

namespace {

using jmpco::errc;
using jmpco::status;

constexpr int kSlots = 16;
constexpr int kMaxCreations = 64;     // through `c` and `z`
constexpr int kMaxChainLinks = 1024;  // coroutines made by `h` per input
constexpr int kMaxOps = 2000;
constexpr int kMaxFrames = 3000;
constexpr int kMaxParseDepth = 12;
constexpr int kMaxNodes = 4096;
constexpr std::size_t kWorkerStack = std::size_t{256} << 20;
constexpr int MAIN = -1;          // the thread's main context
constexpr int NO_HANDLE = -1;     // slot_gen: nothing in the slot
constexpr int EMPTY_HANDLE = -2;  // slot_gen: a handle object that holds no coroutine

enum kind : std::uint8_t { K_CO, K_WRAP, K_GEN, K_TUP, K_MV };
constexpr int kKinds = 5;
const char* kind_name(kind k) {
  static const char* const names[] = {"coroutine", "wrap", "generator", "tuple-coroutine", "mv-coroutine"};
  return names[k];
}

// A value whose move or copy throws move_failure when it is poisoned and happens while the
// context `tag` runs (nullptr: the main context).
struct move_failure {
  long id;
};
struct mv {
  long v = 0;
  bool poison = false;
  const void* tag = nullptr;
  mv() = default;
  explicit mv(long x, bool p = false, const void* t = nullptr) : v(x), poison(p), tag(t) {}
  mv(const mv& o) : v(o.v), poison(o.poison), tag(o.tag) { check(); }
  mv(mv&& o) : v(o.v), poison(o.poison), tag(o.tag) { check(); }
  mv& operator=(const mv&) = default;
  mv& operator=(mv&&) = default;
  void check() const {
    if (poison && static_cast<const void*>(jmpco::this_coroutine::running()) == tag) throw move_failure{v};
  }
};

using co_sig = long(long);
using tup_sig = std::tuple<long, std::string>(long, std::string);
using co_t = jmpco::coroutine<co_sig>;
using wrap_t = jmpco::wrapped<co_sig>;
using gen_t = jmpco::generator<long>;
using tup_t = jmpco::coroutine<tup_sig>;
using mv_sig = mv(mv);
using mv_t = jmpco::coroutine<mv_sig>;

// ---------------------------------------------------------------------------------------------
// Errors: what can be raised, and how the model names it.
// E_MISUSE_DEATH: a misuse error (a dead wrap called, an overflow re-raised by .value()) that
// escaped a body: jmpco turns it into a death, an errc::raised error whose user code is the
// misuse code and whose text is Lua's message, so that no resumer mistakes it for a misuse of
// its own resume.
enum ek : std::uint8_t {
  E_NONE,
  E_STD,
  E_INT,
  E_CUSTOM,
  E_RAISED,
  E_MISUSE,
  E_CLOSE,
  E_FORCED,
  E_MISUSE_DEATH,
  E_MOVE
};

struct err {
  ek kind = E_NONE;
  long id = 0;
};
bool operator==(err a, err b) { return a.kind == b.kind && a.id == b.id; }
bool operator!=(err a, err b) { return !(a == b); }

std::string show(err e) {
  static const char* const names[] = {"none",   "std-exception", "int",           "custom",          "raised",
                                      "misuse", "close",         "forced-unwind", "death by misuse", "move-failure"};
  std::string s = names[e.kind];
  if (e.kind == E_MISUSE || e.kind == E_MISUSE_DEATH) {
    s += std::string("(") + jmpco::message(static_cast<errc>(e.id)) + ")";
  } else if (e.kind == E_FORCED) {
    if (e.id != 0) s += " (another coroutine's)";
  } else if (e.kind != E_NONE) {
    s += "#" + std::to_string(e.id);
  }
  return s;
}

struct fuzz_std_error : std::runtime_error {
  explicit fuzz_std_error(long i) : std::runtime_error("std-error-" + std::to_string(i)), id(i) {}
  long id;
};
struct fuzz_custom {
  long id;
};
struct close_failure {  // thrown by a guard instead of letting the forced unwind go on
  long id;
};
struct catch_probe {  // thrown and caught by `t`
  long id;
};

// Texts for jmpco::error values: they must outlive every copy of the error.
const char* raised_text(long id) {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> t;
    for (int i = 0; i < 64; ++i) t.push_back("raised-text-" + std::to_string(i));
    return t;
  }();
  return texts[static_cast<std::size_t>(id) % texts.size()].c_str();
}

std::string make_str(long v) {
  const unsigned long u = static_cast<unsigned long>(v);
  return std::string(u % 37, static_cast<char>('a' + u % 26)) + std::to_string(v);
}

// ---------------------------------------------------------------------------------------------
// Programs.
struct node {
  char op = 0;
  std::uint8_t a = 0, b = 0, c = 0;
  std::vector<node> kids;  // block operations: exactly one (a '[' group or an operation)
};

enum class flow { next, ret };

struct ctx {
  int self;  // MAIN or the coroutine's generation number
  kind k;    // of the coroutine
  void* y;   // its typed yielder
};

// ---------------------------------------------------------------------------------------------
// The model.
enum out_t : std::uint8_t { O_NONE, O_YIELD, O_FINISH };

// What the resumer must see. UNSEEN: a generator the body released or moved while it ran is not
// read through its old iterator.
struct outcome {
  enum { VALUE, END, ERROR, UNSEEN } what = VALUE;
  long v = 0;
  err e;
};
std::string show(const outcome& o) {
  switch (o.what) {
    case outcome::VALUE:
      return "value " + std::to_string(o.v);
    case outcome::END:
      return "end of generator";
    case outcome::ERROR:
      return "error " + show(o.e);
    case outcome::UNSEEN:
      return "(not read)";
  }
  return "?";
}

struct ctx_rec {
  unsigned level = 0;      // Lua's nCcalls for this context
  int pd = 0;              // pcall-like scopes active
  err fly;                 // the error propagating in this context, if any
  bool catchable = false;  // a pcall-like scope was active when it was raised
  int live_stack = 0;      // counted objects alive on this context's stack
};

struct co_rec {
  ctx_rec cx;
  kind k = K_CO;
  int slot = 0;
  int prog = -1;
  status st = status::suspended;
  bool started = false;
  bool entered = false;  // its body has run (first resume delivered)
  bool ran = false;      // it ran since the last resume began
  bool channel = true;   // the coroutine object exists
  bool closing = false;
  int resumer = MAIN;
  long inbox = 0;
  out_t out = O_NONE;
  long outv = 0;
  err death;  // what close() must hand out
  const void* core = nullptr;
  int live_cap = 0;          // counted objects captured by the body
  int frames = 0;            // recursion frames alive on its stack
  bool released = false;     // its handle let go of it
  bool deferred = false;     // released, its unwind waits (deferred_closes())
  bool lazy = false;         // being unwound by a release, entered where the closed yield returned
  bool lazy_done = false;    // that unwind ended
  bool has_pending = false;  // its resumer's outcome, settled when the release unwound it
  outcome pending;
  bool out_poison = false;  // its yielded value throws when the resumer moves it
};

enum pred_t { P_OK, P_MISUSE, P_END, P_IMMEDIATE, P_UNWIND };
struct pred {
  pred(pred_t w, errc c = errc::ok) : what(w), code(c) {}  // NOLINT: implicit on purpose
  pred_t what;
  errc code;
  err e;
};

// ---------------------------------------------------------------------------------------------
// Global state of one input.
struct trace_rec {
  int self;
  char op;
  int a, b;
  long v;
};

struct slot_t {
  kind k = K_CO;
  std::unique_ptr<co_t> co;
  std::unique_ptr<wrap_t> wr;
  std::unique_ptr<gen_t> gen;
  std::unique_ptr<tup_t> tup;
  std::unique_ptr<mv_t> mvc;
  bool gen_begun = false;
  // Releases what the slot holds. The handle leaves the slot before it is destroyed: a
  // destructor its close runs may move another handle into this very slot, which must survive.
  void clear() {
    slot_t dying;
    dying.co = std::move(co);
    dying.wr = std::move(wr);
    dying.gen = std::move(gen);
    dying.tup = std::move(tup);
    dying.mvc = std::move(mvc);
    gen_begun = false;
  }  // `dying` goes here
};

struct obj_info {
  int owner;
  std::uint8_t state;  // 1 alive, 2 destroyed
  const void* addr;
};

[[noreturn]] void diverge(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Event counters, printed at exit with JMPCO_FUZZ_STATS=1 (to see what a corpus exercises).
enum stat_id {
  S_RESUME_OK,
  S_RESUME_MISUSE,
  S_OVERFLOW,
  S_OOM_RESUME,
  S_OOM_YIELD,
  S_OOM_CREATE,
  S_YIELD,
  S_FINISH,
  S_DEATH,
  S_CAUGHT,
  S_RERAISE,
  S_CLOSE_UNWIND,
  S_CLOSE_REPLACED,
  S_DROP_UNWIND,
  S_MAX_LEVEL,
  S_DEEP_RESUME,
  S_COUNT
};
const char* const stat_names[S_COUNT] = {"resume ok",
                                         "resume misuse",
                                         "C stack overflow",
                                         "resume out of memory",
                                         "yield out of memory",
                                         "create out of memory",
                                         "yield",
                                         "finish",
                                         "death by error",
                                         "caught by pcall",
                                         "re-raised in resumer",
                                         "close unwinds",
                                         "close error replaced",
                                         "destroy unwinds",
                                         "deepest level",
                                         "resume below 1000 frames"};
unsigned long stats[S_COUNT];
bool stats_enabled = false;
void stat(stat_id id) { ++stats[id]; }
void print_stats() {
  std::fprintf(stderr, "scenario_fuzzer events:\n");
  for (int i = 0; i < S_COUNT; ++i) std::fprintf(stderr, "  %-26s %lu\n", stat_names[i], stats[i]);
}

struct model {
  ctx_rec main;
  std::vector<co_rec> co;
  int current = MAIN;
  unsigned limit = 200;
  bool huge_reserve = false;
  int slot_gen[kSlots];
  std::size_t ndeferred = 0;
  std::vector<int> released;  // coroutines whose handle let go, until their object is freed

  void reset() {
    ndeferred = 0;
    released.clear();
    main = ctx_rec();
    co.clear();
    co.reserve(kMaxCreations + kMaxChainLinks);
    current = MAIN;
    limit = 200;
    huge_reserve = false;
    for (int& g : slot_gen) g = NO_HANDLE;
  }
  ctx_rec& cx(int id) { return id == MAIN ? main : co[static_cast<std::size_t>(id)].cx; }
  co_rec& at(int g) { return co[static_cast<std::size_t>(g)]; }

  bool over_limit(int self) {
    if (jmpco_fuzz::kPlantedDivergence) return cx(self).level + 1 >= limit;  // off by one
    return cx(self).level + 1 > limit;
  }

  void enter(int g, int self) {
    co_rec& r = at(g);
    r.st = status::running;
    if (self != MAIN) at(self).st = status::normal;
    r.resumer = self;
    r.cx.level = cx(self).level + 1;
    current = g;
    r.out = O_NONE;
    r.ran = false;
    r.started = true;
  }

  // Lua's lua_resume checks, in jmpco's order.
  pred begin_resume(int g, int self, long v) {
    if (g == EMPTY_HANDLE) return {P_MISUSE, errc::empty_handle};
    co_rec& r = at(g);
    if (r.st == status::dead) return r.k == K_GEN ? pred(P_END) : pred(P_MISUSE, errc::dead_coroutine);
    if (r.st != status::suspended) return {P_MISUSE, errc::non_suspended};
    if (over_limit(self) || (!r.started && huge_reserve)) {
      stat(S_OVERFLOW);
      return {P_MISUSE, errc::c_stack_overflow};
    }
    enter(g, self);
    r.inbox = v;
    if (r.cx.level > stats[S_MAX_LEVEL]) stats[S_MAX_LEVEL] = r.cx.level;
    stat(S_RESUME_OK);
    return {P_OK};
  }

  void leave(int g) {
    co_rec& r = at(g);
    current = r.resumer;
    if (r.resumer != MAIN) at(r.resumer).st = status::running;
  }

  // The switch failed for lack of memory: nothing may have changed.
  void revert_resume(int g, bool was_started) {
    co_rec& r = at(g);
    r.st = status::suspended;
    r.started = was_started;
    leave(g);
  }

  outcome end_resume(int g) {
    co_rec& r = at(g);
    outcome o;
    if (!r.ran) diverge("resume of g%d returned but its body never ran", g);
    leave(g);
    if (r.out == O_YIELD) {
      stat(S_YIELD);
      r.st = status::suspended;
      o.v = r.outv;
      if (r.out_poison) {  // the resumer's move of the value throws, after the switch
        o.what = outcome::ERROR;
        o.e = {E_MOVE, r.outv};
      }
    } else if (r.out == O_FINISH) {
      stat(S_FINISH);
      r.st = status::dead;
      if (r.k == K_GEN) o.what = outcome::END;
      o.v = r.outv;
    } else {
      if (r.cx.fly.kind == E_NONE) diverge("g%d left without yielding, returning or raising", g);
      if (r.cx.catchable)
        diverge("g%d died with %s, which a pcall scope inside it should have caught", g, show(r.cx.fly).c_str());
      r.st = status::dead;
      if (r.cx.fly.kind == E_MISUSE) r.cx.fly.kind = E_MISUSE_DEATH;  // jmpco's as_death()
      r.death = r.cx.fly;
      stat(S_DEATH);
      o.what = outcome::ERROR;
      o.e = r.cx.fly;
      r.cx.fly = err();
    }
    r.out = O_NONE;
    r.out_poison = false;
    if (r.st == status::dead && r.cx.live_stack != 0)
      diverge("g%d is dead but %d counted objects on its stack are alive", g, r.cx.live_stack);
    return o;
  }

  pred begin_close(int g, int self) {
    if (g == EMPTY_HANDLE) return {P_IMMEDIATE};
    co_rec& r = at(g);
    switch (r.st) {
      case status::running:
        return {P_MISUSE, errc::close_running};
      case status::normal:
        return {P_MISUSE, errc::close_normal};
      case status::dead: {
        pred p{P_IMMEDIATE};
        p.e = r.death;
        r.death = err();
        return p;
      }
      case status::suspended:
        break;
    }
    if (!r.started) {
      r.st = status::dead;
      return {P_IMMEDIATE};
    }
    if (over_limit(self)) return {P_MISUSE, errc::c_stack_overflow};
    enter(g, self);
    r.closing = true;
    if (r.cx.fly.kind == E_NONE) {  // else: suspended in a destructor while an error propagates
      r.cx.fly = {E_FORCED, 0};
      r.cx.catchable = false;
    }
    stat(S_CLOSE_UNWIND);
    return {P_UNWIND};
  }

  err end_close(int g) {
    co_rec& r = at(g);
    if (!r.ran) diverge("close of g%d returned but its stack was never unwound", g);
    if (r.out != O_NONE) diverge("g%d yielded or returned while it was being closed", g);
    leave(g);
    r.st = status::dead;
    r.closing = false;
    // What it died with while unwinding: a guard's own error, or an error that was propagating
    // when it suspended in a destructor.
    err result = r.cx.fly == err{E_FORCED, 0} ? err() : r.cx.fly;
    if (result.kind == E_MISUSE) result.kind = E_MISUSE_DEATH;
    r.cx.fly = err();
    r.death = err();
    if (r.cx.live_stack != 0)
      diverge("g%d was closed but %d counted objects on its stack are alive", g, r.cx.live_stack);
    return result;
  }

  // Whether `d` may release the coroutine in slot g (a release's unwind is exempt from the
  // nesting limit; `D` releases active ones too).
  bool can_drop(int g, int) {
    if (g < 0) return true;
    co_rec& r = at(g);
    return r.st != status::running && r.st != status::normal;
  }
  bool active(int g) { return g >= 0 && (at(g).st == status::running || at(g).st == status::normal); }

  void defer(int g) {
    co_rec& r = at(g);
    if (r.deferred) diverge("g%d deferred twice", g);
    r.deferred = true;
    ++ndeferred;
  }

  // The closed yield of g returned: a close entered g. Where the model did not enter it itself
  // (close()), it must be a release's unwind (or a deferred one's): entered from the running
  // context now.
  void closing_arrived(int g) {
    co_rec& r = at(g);
    r.ran = true;
    if (current == g && r.closing) return;  // close(): entered by begin_close
    if (current == g && r.out == O_YIELD && r.released && !r.has_pending) {
      // The resume that it yielded to released it when it let go of its pin: that resume's
      // outcome is settled now, then the unwind begins.
      r.pending = end_resume(g);
      r.has_pending = true;
    }
    if (r.st != status::suspended || !r.started || !(r.released || r.deferred) || r.closing)
      diverge("g%d was resumed to be closed while it is %s%s and nothing may close it", g, jmpco::to_string(r.st),
              r.released ? " (released)" : "");
    if (r.deferred) {
      r.deferred = false;
      --ndeferred;
    }
    enter(g, current);
    r.closing = true;
    r.lazy = true;
    r.ran = true;
    if (r.cx.fly.kind == E_NONE) {
      r.cx.fly = {E_FORCED, 0};
      r.cx.catchable = false;
    }
    stat(S_DROP_UNWIND);
  }

  // g's body is left by an exception: a release's unwind ends here.
  void body_left(int g) {
    co_rec& r = at(g);
    if (!r.lazy) return;
    if (current != g) diverge("g%d's unwind ended while the model says %d runs", g, current);
    leave(g);
    r.st = status::dead;
    r.closing = false;
    r.lazy = false;
    r.lazy_done = true;
    r.cx.fly = err();
    r.death = err();
    r.out = O_NONE;
    if (r.cx.live_stack != 0)
      diverge("g%d was unwound for its release but %d counted objects on its stack are alive", g, r.cx.live_stack);
  }

  // Released coroutines that are dead: their object is freed by now.
  void reap() {
    std::size_t keep = 0;
    for (int g : released) {
      co_rec& r = at(g);
      if (r.st == status::dead && !r.closing) {
        r.channel = false;
        if (r.live_cap != 0) diverge("g%d was released and is dead but its captured object is alive", g);
      } else {
        released[keep++] = g;
      }
    }
    released.resize(keep);
  }

  // No pcall scope of the fuzzer catches a forced_unwind, also when a wrap or value() rethrows
  // one (U's, that killed the coroutine resumed) in the resumer.
  void raise_in(int self, err e) {
    ctx_rec& c = cx(self);
    c.fly = e;
    c.catchable = self == MAIN || (c.pd > 0 && e.kind != E_FORCED);
  }

  void caught(int self, err e) {
    ctx_rec& c = cx(self);
    if (c.fly != e) diverge("context %d caught %s but %s was raised there", self, show(e).c_str(), show(c.fly).c_str());
    if (!c.catchable) diverge("context %d caught %s outside any pcall scope", self, show(e).c_str());
    c.fly = err();
    stat(S_CAUGHT);
  }
};

struct fuzz_state {
  std::vector<std::vector<node>> programs;
  int nodes = 0;
  model m;
  slot_t slots[kSlots];
  std::vector<obj_info> objs;
  long value_serial = 0;
  long err_serial = 0;
  int ops = 0;
  int frames_live = 0;
  bool trace = false;
  std::string skip_ops;                // JMPCO_FUZZ_SKIP_OPS: operations run as no-ops
  std::exception_ptr captured_unwind;  // a forced_unwind a guard saw, for U
  trace_rec ring[64];
  unsigned ring_pos = 0;
  std::string program_dump;
  // The failing allocator.
  bool alloc_armed = false;          // every allocation fails (u, v, z)
  unsigned long alloc_failures = 0;  // failed allocations so far (operations compare snapshots)
  int fail_countdown = 0;            // a: the countdown-th allocation from now fails
  int injection_paused = 0;          // no allocation fails while > 0
  // Coroutines of `h` chains, by generation number (null for slot coroutines or once dropped).
  std::vector<std::unique_ptr<slot_t>> anon;
  std::vector<int> anon_live;
  int creations = 0;
  int chain_links = 0;
};

fuzz_state F;

void dump_node(const node& n, std::string& out) {
  if (n.op == '[') {
    out += '[';
    for (const node& k : n.kids) dump_node(k, out);
    out += ']';
    return;
  }
  out += n.op;
  auto arg = [&](int v) {
    if (v >= '0' && v <= '9')
      out += static_cast<char>(v);
    else
      out += "{" + std::to_string(v) + "}";
  };
  switch (n.op) {
    case 'c':
    case 'z':
      arg(n.a);
      arg(n.b);
      arg(n.c);
      break;
    case 'r':
    case 'R':
    case 'u':
    case 'Y':
    case 'e':
    case 'C':
    case 'd':
    case 'l':
    case 's':
    case 'g':
    case 'n':
    case 'w':
    case 'D':
    case 'b':
    case 'T':
    case 'a':
    case 'F':
      arg(n.a);
      break;
    case 'm':
    case 'h':
    case 'q':
      arg(n.a);
      arg(n.b);
      break;
    default:
      break;
  }
  for (const node& k : n.kids) dump_node(k, out);
}

void print_trace() {
  std::fprintf(stderr, "programs:\n%s", F.program_dump.c_str());
  std::fprintf(stderr, "last operations (context: op args value):\n");
  const unsigned n = F.ring_pos < 64 ? F.ring_pos : 64;
  for (unsigned i = F.ring_pos - n; i != F.ring_pos; ++i) {
    const trace_rec& t = F.ring[i % 64];
    std::fprintf(stderr, "  %s%d: %c %d %d v=%ld\n", t.self == MAIN ? "main" : "g", t.self == MAIN ? 0 : t.self, t.op,
                 t.a, t.b, t.v);
  }
  std::fprintf(stderr, "model: current=%d limit=%u huge_reserve=%d\n", F.m.current, F.m.limit,
               F.m.huge_reserve ? 1 : 0);
  for (std::size_t g = 0; g < F.m.co.size(); ++g) {
    const co_rec& r = F.m.co[g];
    std::fprintf(stderr, "  g%zu %s slot %d %s%s level %u resumer %d fly %s live %d cap %d\n", g, kind_name(r.k),
                 r.slot, jmpco::to_string(r.st), r.channel ? "" : " (freed)", r.cx.level, r.resumer,
                 show(r.cx.fly).c_str(), r.cx.live_stack, r.live_cap);
  }
}

void diverge(const char* fmt, ...) {
  char text[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  std::fprintf(stderr, "\n==== jmpco scenario_fuzzer: DIVERGENCE from the model: %s\n", text);
  print_trace();
  std::fflush(stderr);
  __builtin_trap();
}

void note(const ctx& c, char op, int a, int b, long v) {
  F.ring[F.ring_pos++ % 64] = {c.self, op, a, b, v};
  if (F.trace)
    std::fprintf(stderr, "[%s%d lvl %u] %c %d %d v=%ld\n", c.self == MAIN ? "main" : "g", c.self == MAIN ? 0 : c.self,
                 F.m.cx(c.self).level, op, a, b, v);
}

long next_value() {
  ++F.value_serial;
  return (F.value_serial & 1) ? F.value_serial * 1000 + 7 : -(F.value_serial * 1000 + 3);
}
long next_err_id() { return ++F.err_serial; }

// ---------------------------------------------------------------------------------------------
// Counted objects: each one knows its owner (a context's stack, or a coroutine's captured body
// state) and its address; destroying one twice, at another address, or from another coroutine
// than the one whose stack holds it diverges.
constexpr int kCapBase = 1 << 20;  // owner id of captured objects: kCapBase + generation
constexpr std::uint32_t kCanary = 0x5eed1e55u;

struct counted {
  std::uint32_t serial;
  std::uint32_t canary;
  int owner;
  explicit counted(int own) : owner(own) { born(); }
  counted(const counted& other) : owner(other.owner) { born(); }
  counted& operator=(const counted&) = delete;
  ~counted() {
    if (canary != (serial ^ kCanary) || serial >= F.objs.size())
      diverge("a counted object's bytes were corrupted (owner %d)", owner);
    obj_info& info = F.objs[serial];
    if (info.state != 1) diverge("counted object %u destroyed twice", serial);
    if (info.addr != this)
      diverge("counted object %u moved from %p to %p", serial, info.addr, static_cast<void*>(this));
    info.state = 2;
    if (owner >= kCapBase) {
      --F.m.at(owner - kCapBase).live_cap;
    } else {
      if (F.m.current != owner)
        diverge("counted object %u of context %d destroyed while context %d runs", serial, owner, F.m.current);
      --F.m.cx(owner).live_stack;
    }
  }

 private:
  void born() {
    serial = static_cast<std::uint32_t>(F.objs.size());
    canary = serial ^ kCanary;
    F.objs.push_back({owner, 1, this});
    if (owner >= kCapBase) {
      ++F.m.at(owner - kCapBase).live_cap;
    } else {
      if (F.m.current != owner) diverge("counted object of context %d made while %d runs", owner, F.m.current);
      ++F.m.cx(owner).live_stack;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Describing what arrived.
// An errc::raised error: a body's own jmpco::error, or a misuse that killed a body.
bool is_foreign_unwind(const jmpco::forced_unwind& u) {
#if JMPCO_FUZZ_OLD_API
  (void)u;
  return false;
#else
  return u.target() != jmpco::this_coroutine::running();
#endif
}

err describe_raised(const jmpco::error& e) {
  const int code = e.user_code();
  if (code > 0 && code < static_cast<int>(errc::exception) && std::strcmp(e.what(), raised_text(code)) != 0) {
    if (std::strcmp(e.what(), jmpco::message(static_cast<errc>(code))) != 0)
      diverge("a death by misuse %d carries the text '%s'", code, e.what());
    return {E_MISUSE_DEATH, code};
  }
  if (std::strcmp(e.what(), raised_text(code)) != 0) diverge("raised error text corrupted");
  return {E_RAISED, code};
}

err describe_current() {
  try {
    throw;
  } catch (const fuzz_std_error& e) {
    if (std::string(e.what()) != "std-error-" + std::to_string(e.id)) diverge("std exception text corrupted");
    return {E_STD, e.id};
  } catch (const fuzz_custom& e) {
    return {E_CUSTOM, e.id};
  } catch (int v) {
    return {E_INT, v};
  } catch (const jmpco::coroutine_error& e) {
    const jmpco::error& x = e.error();
    if (x.code() == errc::raised) return describe_raised(x);
    if (!x.is_misuse()) diverge("coroutine_error with code %d", static_cast<int>(x.code()));
    if (std::strcmp(e.what(), jmpco::message(x.code())) != 0) diverge("misuse error text is not Lua's");
    return {E_MISUSE, static_cast<long>(x.code())};
  } catch (const close_failure& e) {
    return {E_CLOSE, e.id};
  } catch (const jmpco::forced_unwind& u) {
    // #0: the running coroutine's own close; #1: another coroutine's, kept and rethrown (U)
    return {E_FORCED, is_foreign_unwind(u) ? 1 : 0};
  } catch (const move_failure& e) {
    return {E_MOVE, e.id};
  } catch (const catch_probe& e) {
    diverge("catch_probe #%ld escaped its catch block", e.id);
  } catch (...) {
    diverge("an exception of an unknown type arrived");
  }
}

err describe(const jmpco::error& e) {
  switch (e.code()) {
    case errc::ok:
      return {};
    case errc::exception: {
      if (!e.exception()) diverge("errc::exception without an exception");
      try {
        std::rethrow_exception(e.exception());
      } catch (...) {
        return describe_current();
      }
    }
    case errc::raised:
      return describe_raised(e);
    default:
      if (std::strcmp(e.what(), jmpco::message(e.code())) != 0) diverge("misuse error text is not Lua's");
      return {E_MISUSE, static_cast<long>(e.code())};
  }
}

void expect(const char* what, const outcome& want, const outcome& got) {
  if (want.what != got.what ||
      (want.what == outcome::ERROR ? want.e != got.e : want.what == outcome::VALUE && want.v != got.v))
    diverge("%s: the model expects %s, jmpco gave %s", what, show(want).c_str(), show(got).c_str());
}

// ---------------------------------------------------------------------------------------------
// The failing allocator: while armed, every jmpco allocation fails.
void* fuzz_allocate(std::size_t size, void*) {
  if (F.injection_paused == 0 && (F.alloc_armed || (F.fail_countdown > 0 && --F.fail_countdown == 0))) {
    ++F.alloc_failures;
    return nullptr;
  }
  return std::malloc(size);
}
void fuzz_deallocate(void* block, std::size_t, void*) { std::free(block); }
void arm() { F.alloc_armed = true; }
void disarm() { F.alloc_armed = false; }
struct pause_injection {
  pause_injection() { ++F.injection_paused; }
  ~pause_injection() { --F.injection_paused; }
  pause_injection(const pause_injection&) = delete;
  pause_injection& operator=(const pause_injection&) = delete;
};

// ---------------------------------------------------------------------------------------------
// Checks at every operation boundary.
status real_status(const slot_t& s, int g) {
  if (g == NO_HANDLE) return status::dead;
  switch (s.k) {
    case K_CO:
      return s.co->status();
    case K_WRAP:
      return s.wr->status();
    case K_GEN:
      return s.gen->status();
    case K_TUP:
      return s.tup->status();
    case K_MV:
      return s.mvc->status();
  }
  return status::dead;
}

void check_context(const ctx& c) {
  if (F.m.current != c.self) diverge("context %d executes but the model says %d runs", c.self, F.m.current);
  const void* want = c.self == MAIN ? nullptr : F.m.at(c.self).core;
  if (jmpco::this_coroutine::running() != want)
    diverge("this_coroutine::running() is %p, the model says %p", static_cast<void*>(jmpco::this_coroutine::running()),
            want);
  if (jmpco::this_coroutine::is_yieldable() != (c.self != MAIN)) diverge("is_yieldable() is wrong");
  if (jmpco::coroutine_core::level() != F.m.cx(c.self).level)
    diverge("level() is %u, the model says %u", jmpco::coroutine_core::level(), F.m.cx(c.self).level);
  if (jmpco::coroutine_core::nesting_limit() != F.m.limit) diverge("nesting limit changed");
  if (std::uncaught_exceptions() != 0)
    diverge("uncaught_exceptions() is %d outside any unwinding", std::uncaught_exceptions());
  F.m.reap();
  if (jmpco::coroutine_core::deferred_closes() != F.m.ndeferred)
    diverge("deferred_closes() is %zu, the model says %zu", jmpco::coroutine_core::deferred_closes(), F.m.ndeferred);
  for (int s = 0; s < kSlots; ++s) {
    const int g = F.m.slot_gen[s];
    if (g == NO_HANDLE) continue;
    const status want_st = g == EMPTY_HANDLE ? status::dead : F.m.at(g).st;
    const status got = real_status(F.slots[s], g);
    if (got != want_st)
      diverge("slot %d (g%d) is %s, the model says %s", s, g, jmpco::to_string(got), jmpco::to_string(want_st));
  }
  for (int g : F.anon_live) {
    const status got = F.anon[static_cast<std::size_t>(g)]->co->status();
    if (got != F.m.at(g).st)
      diverge("chain link g%d is %s, the model says %s", g, jmpco::to_string(got), jmpco::to_string(F.m.at(g).st));
  }
}

// ---------------------------------------------------------------------------------------------
// Program parsing.
int digit(std::uint8_t b) { return b >= '0' && b <= '9' ? b - '0' : b; }

bool is_block(char op) { return std::strchr("pPtgkonwhq", op) != nullptr; }
int arg_count(char op) {
  switch (op) {
    case 'c':
    case 'z':
      return 3;
    case 'm':
    case 'h':
    case 'q':
      return 2;
    case 'r':
    case 'R':
    case 'u':
    case 'Y':
    case 'e':
    case 'C':
    case 'd':
    case 'l':
    case 's':
    case 'g':
    case 'n':
    case 'w':
    case 'D':
    case 'b':
    case 'T':
    case 'a':
    case 'F':
      return 1;
    default:
      return 0;
  }
}

char decode_op(std::uint8_t b) {
  static const char known[] = "czrRuyYvexCdmlspPtgkonwhDqijbTaXFU";
  if (b != 0 && std::strchr(known, static_cast<char>(b)) != nullptr) return static_cast<char>(b);
  // Every other byte is an operation too; resumes and yields come up most often.
  // (U is left out: a byte's operation must not change, so that found inputs keep their meaning)
  static const char dense[] = "crrRuyyYvexCdmlspPtgkonwcrryhDqijbTaXF";
  return dense[b % (sizeof dense - 1)];
}

struct parser {
  const std::uint8_t* p;
  const std::uint8_t* end;

  std::uint8_t take() { return p < end ? *p++ : 0; }

  // One item: a '[' group or one operation (with its block body).
  bool item(node& out, int depth) {
    while (p < end && *p == ']') ++p;  // stray closers
    if (p >= end || F.nodes >= kMaxNodes) return false;
    ++F.nodes;
    if (*p == '[') {
      ++p;
      out.op = '[';
      if (depth < kMaxParseDepth) {
        while (p < end && *p != ']') {
          node k;
          if (!item(k, depth + 1)) break;
          out.kids.push_back(std::move(k));
        }
      } else {
        int open = 1;  // too deep: skip the group
        while (p < end && open > 0) open += *p == '[' ? 1 : *p == ']' ? -1 : 0, ++p;
        return true;
      }
      if (p < end) ++p;  // ']'
      return true;
    }
    out.op = decode_op(*p++);
    const int n = arg_count(out.op);
    if (n > 0) out.a = take();
    if (n > 1) out.b = take();
    if (n > 2) out.c = take();
    if (is_block(out.op)) {
      node k;
      if (depth < kMaxParseDepth && item(k, depth + 1)) out.kids.push_back(std::move(k));
    }
    return true;
  }

  std::vector<node> all() {
    std::vector<node> list;
    while (p < end) {
      node n;
      if (!item(n, 0)) break;
      list.push_back(std::move(n));
    }
    return list;
  }
};

// ---------------------------------------------------------------------------------------------
// The interpreter.
flow exec_list(const std::vector<node>& list, ctx& c);
flow exec(const node& n, ctx& c);

flow exec_block(const node& n, ctx& c) { return n.kids.empty() ? flow::next : exec(n.kids[0], c); }

flow exec_list(const std::vector<node>& list, ctx& c) {
  for (const node& n : list)
    if (exec(n, c) == flow::ret) return flow::ret;
  return flow::next;
}

// Body entry points, one per kind.
void on_entry(int g, bool has_value, long v) {
  disarm();
  co_rec& r = F.m.at(g);
  if (F.m.current != g) diverge("g%d's body started while the model says %d runs", g, F.m.current);
  if (r.entered) diverge("g%d's body started twice", g);
  if (!r.started || r.st != status::running) diverge("g%d's body started while it is %s", g, jmpco::to_string(r.st));
  r.entered = true;
  r.ran = true;
  if (r.core == nullptr) r.core = jmpco::this_coroutine::running();
  if (jmpco::this_coroutine::running() != r.core) diverge("g%d runs as another coroutine object", g);
  if (has_value && v != r.inbox) diverge("g%d's body received %ld, the resume passed %ld", g, v, r.inbox);
}

void on_finish(int g, long v) {
  co_rec& r = F.m.at(g);
  if (F.m.current != g) diverge("g%d returned while the model says %d runs", g, F.m.current);
  if (r.cx.live_stack != 0) diverge("g%d returns with %d counted objects alive on its stack", g, r.cx.live_stack);
  if (r.cx.pd != 0) diverge("g%d returns inside a pcall scope", g);
  r.out = O_FINISH;
  r.outv = v;
}

// A coroutine that a close resumed (where the closed yield returned errc::closing and the code
// went on: a destructor, a noexcept function, a pcall scope that caught the error propagating
// then) throws the forced unwind at the next operation, as a body that obeys errc::closing does.
void throw_if_closing(const ctx& c) {
  if (c.self == MAIN) return;
  co_rec& r = F.m.at(c.self);
  if (!r.closing || F.m.current != c.self) return;
  if (std::uncaught_exceptions() != 0) return;  // the exception in flight goes on
  r.cx.fly = {E_FORCED, 0};
  r.cx.catchable = false;
  jmpco::coroutine_core::unwind_for_close();
}

long run_body(int g, kind k, void* y) {
  ctx c{g, k, y};
  long result;
  try {
    {
      counted top(g);
      const int prog = F.m.at(g).prog;
      static const std::vector<node> empty;
      (void)exec_list(prog < 0 ? empty : F.programs[static_cast<std::size_t>(prog)], c);
      throw_if_closing(c);
      result = next_value();
    }
  } catch (...) {
    F.m.body_left(g);
    throw;
  }
  on_finish(g, result);
  return result;
}

// The body lambdas: each captures a counted object and its generation number.
struct co_body {
  int g;
  counted cap;
  long operator()(jmpco::yielder<co_sig>& y, long v) {
    on_entry(g, true, v);
    return run_body(g, F.m.at(g).k, &y);
  }
};
struct gen_body {
  int g;
  counted cap;
  void operator()(jmpco::yielder<long()>& y) {
    on_entry(g, false, 0);
    (void)run_body(g, K_GEN, &y);
  }
};
struct tup_body {
  int g;
  counted cap;
  std::tuple<long, std::string> operator()(jmpco::yielder<tup_sig>& y, long v, std::string s) {
    if (s != make_str(v)) diverge("g%d's first string is corrupted", g);
    on_entry(g, true, v);
    const long r = run_body(g, K_TUP, &y);
    return {r, make_str(r)};
  }
};
struct mv_body {
  int g;
  counted cap;
  mv operator()(jmpco::yielder<mv_sig>& y, mv v) {
    on_entry(g, true, v.v);
    return mv(run_body(g, K_MV, &y));
  }
};

// --- create -----------------------------------------------------------------------------------
// After the handle of g, which was not running or normal, let go of it: it is dead and freed,
// unwound where the closed yield returned (see model::closing_arrived), or, only when an
// allocation failed meanwhile, deferred.
void settle_release(int g, bool failed) {
  co_rec& r = F.m.at(g);
  if (r.lazy_done) {
    r.lazy_done = false;
  } else if (r.st == status::suspended && r.started && !r.deferred) {
    if (!failed)
      diverge(
          "g%d's handle let go of it while suspended, but its stack was neither unwound nor deferred "
          "(no allocation failed)",
          g);
    F.m.defer(g);
    return;
  }
  if (r.st != status::dead && !r.deferred) {
    if (r.started) diverge("g%d is %s after its release", g, jmpco::to_string(r.st));
    r.st = status::dead;  // never started: freed as it is
  }
  F.m.reap();
}

// Releases the coroutine a handle holds (any state: a running or normal one goes when it hands
// control back). `top`: an operation's own release, not one run by a destructor inside another.
void drop_handle(slot_t& S, int g, int, bool top = false) {
  if (g < 0) {
    S.clear();
    return;
  }
  co_rec& r = F.m.at(g);
  const bool was_active = F.m.active(g);
  const unsigned long before = F.alloc_failures;
  if (!r.released) {
    r.released = true;
    F.m.released.push_back(g);
  }
  S.clear();
  if (was_active) return;
  const bool failed = F.alloc_failures != before;
  settle_release(g, failed);
  // Every release runs the deferred unwinds that can run.
  if (top && !failed && F.m.ndeferred != 0)
    diverge("a release left %zu deferred unwinds waiting though no allocation failed", F.m.ndeferred);
}

// Releases what slot s holds.
void drop_slot(int s, int self, bool top = false) {
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return;
  F.m.slot_gen[s] = NO_HANDLE;
  drop_handle(F.slots[s], g, self, top);
}

// Drops every chain coroutine that can be dropped from `self` (all of them from main).
void drop_anon(int self) {
  std::vector<int> keep;
  const std::vector<int> live = F.anon_live;
  for (int g : live) {
    if (!F.m.can_drop(g, self)) {
      keep.push_back(g);
      continue;
    }
    std::unique_ptr<slot_t> h = std::move(F.anon[static_cast<std::size_t>(g)]);
    drop_handle(*h, g, self, true);
  }
  // Chains made while this ran are still live too (unwinding runs no operations, so none).
  F.anon_live = keep;
}

flow op_create(const node& n, ctx& c, bool oom) {
  const int s = digit(n.a) % kSlots;
  const kind k = static_cast<kind>(digit(n.b) % kKinds);
  if (F.creations >= kMaxCreations) return flow::next;
  const int g = static_cast<int>(F.m.co.size());
  note(c, n.op, s, g, k);
  // (a destructor run by the release may move another handle into the slot: release that too)
  for (int i = 0; i < 8 && F.m.slot_gen[s] != NO_HANDLE; ++i) drop_slot(s, c.self, i == 0);
  if (F.m.slot_gen[s] != NO_HANDLE) return flow::next;
  ++F.creations;
  F.anon.emplace_back();
  co_rec rec;
  rec.k = k;
  rec.slot = s;
  rec.prog = F.programs.size() > 1 ? 1 + static_cast<int>(digit(n.c) % (F.programs.size() - 1)) : -1;
  F.m.co.push_back(rec);
  slot_t& S = F.slots[s];
  S.k = k;
  const unsigned long before = F.alloc_failures;
  if (oom) arm();
  {
    counted cap(kCapBase + g);
    switch (k) {
      case K_CO:
        S.co = std::make_unique<co_t>(co_body{g, cap});
        break;
      case K_WRAP:
        S.wr = std::make_unique<wrap_t>(jmpco::wrap<co_sig>(co_body{g, cap}));
        break;
      case K_GEN:
        S.gen = std::make_unique<gen_t>(gen_body{g, cap});
        break;
      case K_TUP:
        S.tup = std::make_unique<tup_t>(tup_body{g, cap});
        break;
      case K_MV:
        S.mvc = std::make_unique<mv_t>(mv_body{g, cap});
        break;
    }
  }
  const bool failed = F.alloc_failures != before;
  disarm();
  co_rec& r = F.m.at(g);
  if ((k == K_CO && !*S.co) != (failed && k == K_CO) || (k == K_TUP && !*S.tup) != (failed && k == K_TUP) ||
      (k == K_MV && !*S.mvc) != (failed && k == K_MV))
    diverge("creation with a failing allocator: handle %s", failed ? "not empty" : "empty");
  if (failed) {
    stat(S_OOM_CREATE);
    r.channel = false;
    r.st = status::dead;
    F.m.slot_gen[s] = EMPTY_HANDLE;
    if (r.live_cap != 0) diverge("failed creation of g%d kept its captured object", g);
  } else {
    F.m.slot_gen[s] = g;
    if (k == K_CO) r.core = S.co->core();
    if (k == K_TUP) r.core = S.tup->core();
    if (k == K_MV) r.core = S.mvc->core();
    if (r.live_cap != 1) diverge("g%d holds %d captured objects, not 1", g, r.live_cap);
  }
  return flow::next;
}

// --- resume -----------------------------------------------------------------------------------
outcome value_of(const jmpco::result<long>& r) {
  outcome o;
  if (r.ok()) {
    o.v = r.value();
  } else {
    o.what = outcome::ERROR;
    o.e = describe(r.error());
  }
  return o;
}

outcome value_of(jmpco::result<std::tuple<long, std::string>>& r) {
  outcome o;
  if (r.ok()) {
    o.v = std::get<0>(*r);
    if (std::get<1>(*r) != make_str(o.v)) diverge("a yielded string arrived corrupted");
  } else {
    o.what = outcome::ERROR;
    o.e = describe(r.error());
  }
  return o;
}

// The generator object that holds g now (the body may have moved or released it).
gen_t* holder_of(int g) {
  if (g < 0) return nullptr;
  for (int t = 0; t < kSlots; ++t)
    if (F.m.slot_gen[t] == g && F.slots[t].k == K_GEN) return F.slots[t].gen.get();
  return nullptr;
}

// One real resume; raising resumes let the error propagate as an exception. `poison_in`: the
// argument's move throws in the resumer (kind 4 only).
outcome real_resume(slot_t& S, int g, long v, bool raising, bool poison_in = false) {
  outcome o;
  switch (S.k) {
    case K_MV: {
      const void* here = jmpco::this_coroutine::running();
      if (raising) {
        o.v = S.mvc->resume(mv(v, poison_in, here)).value().v;
      } else {
        jmpco::result<mv> r = S.mvc->resume(mv(v, poison_in, here));
        if (r.ok()) {
          o.v = r->v;
        } else {
          o.what = outcome::ERROR;
          o.e = describe(r.error());
        }
      }
      break;
    }
    case K_CO:
      if (raising) {
        o.v = S.co->resume(v).value();
      } else {
        o = value_of(S.co->resume(v));
      }
      break;
    case K_TUP: {
      if (raising) {
        std::tuple<long, std::string> t = S.tup->resume(v, make_str(v)).value();
        o.v = std::get<0>(t);
        if (std::get<1>(t) != make_str(o.v)) diverge("a yielded string arrived corrupted");
      } else {
        jmpco::result<std::tuple<long, std::string>> r = S.tup->resume(v, make_str(v));
        o = value_of(r);
      }
      break;
    }
    case K_WRAP:
      o.v = (*S.wr)(v);
      break;
    case K_GEN: {
      gen_t& gen = *S.gen;
      // generator::begin() resumes only the first time; afterwards ++ does. The flag is set
      // first: the body may try to resume its own generator from inside begin().
      const bool begun = S.gen_begun;
      S.gen_begun = true;
      gen_t::iterator it = gen.begin();
      if (begun) ++it;
      gen_t* now = holder_of(g);
      if (now == nullptr) {
        o.what = outcome::UNSEEN;  // released by its body: nothing to read
      } else {
        if (now != &gen) it = now->begin();  // moved: the value lives in the coroutine object
        if (it == nullptr) {
          o.what = outcome::END;
        } else {
          o.v = *it;
        }
      }
      break;
    }
  }
  return o;
}

flow resume_handle(ctx& c, slot_t& S, int g, bool raising_variant, bool oom);

flow op_resume(const node& n, ctx& c, bool raising_variant, bool oom) {
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return flow::next;
  note(c, n.op, s, g, F.value_serial);
  return resume_handle(c, F.slots[s], g, raising_variant, oom);
}

// T S: a resume whose argument throws when it is moved in: the exception comes out of resume()
// before anything entered the coroutine, which is unchanged.
flow op_throwing_resume(const node& n, ctx& c) {
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE || F.slots[s].k != K_MV) return flow::next;
  note(c, 'T', s, g, F.value_serial);
  const long v = next_value();
  outcome got;
  std::exception_ptr raised;
  try {
    got = real_resume(F.slots[s], g, v, false, true);
  } catch (...) {
    got.what = outcome::ERROR;
    got.e = describe_current();
    raised = std::current_exception();
  }
  outcome want;
  want.what = outcome::ERROR;
  want.e = g == EMPTY_HANDLE ? err{E_MISUSE, static_cast<long>(errc::empty_handle)} : err{E_MOVE, v};
  expect("resume with a throwing argument", want, got);
  if (raised) {
    F.m.raise_in(c.self, got.e);
    std::rethrow_exception(raised);
  }
  return flow::next;
}

flow resume_handle(ctx& c, slot_t& S, int g, bool raising_variant, bool oom) {
  const bool raising = raising_variant || S.k == K_WRAP || S.k == K_GEN;
  const long v = next_value();
  const bool was_started = g >= 0 && F.m.at(g).started;
  const pred p = F.m.begin_resume(g, c.self, v);
  if (p.what == P_OK && F.frames_live >= 1000) stat(S_DEEP_RESUME);
  if (p.what == P_END && S.k != K_GEN) diverge("model: END for a non-generator");
  outcome got;
  std::exception_ptr raised;
  const unsigned long before = F.alloc_failures;
  if (oom) arm();
  try {
    got = real_resume(S, g, v, raising);
  } catch (const jmpco::forced_unwind& u) {
    // Only a wrap or generator re-raising a death by another coroutine's forced unwind (U).
    if (!is_foreign_unwind(u)) diverge("the running coroutine's own forced_unwind came out of a resume");
    got.what = outcome::ERROR;
    got.e = describe_current();
    raised = std::current_exception();
  } catch (...) {
    got.what = outcome::ERROR;
    got.e = describe_current();
    raised = std::current_exception();
  }
  const bool failed_alloc = F.alloc_failures != before;
  disarm();
  outcome want;
  switch (p.what) {
    case P_MISUSE:
      stat(S_RESUME_MISUSE);
      want.what = outcome::ERROR;
      want.e = {E_MISUSE, static_cast<long>(p.code)};
      break;
    case P_END:
      want.what = outcome::END;
      break;
    default: {
      co_rec& r = F.m.at(g);
      if (r.has_pending) {
        // Released while it ran; the release unwound it when this resume let go of its pin.
        want = r.pending;
        r.has_pending = false;
        if (!r.lazy_done) diverge("g%d's release began its unwind but did not end it", g);
        r.lazy_done = false;
      } else if (!r.ran) {
        // The switch needed memory and could not get it: nothing may have changed.
        if (!failed_alloc) diverge("resume of g%d returned without running it (%s)", g, show(got).c_str());
        F.m.revert_resume(g, was_started);
        stat(S_OOM_RESUME);
        want.what = outcome::ERROR;
        want.e = {E_MISUSE, static_cast<long>(errc::out_of_memory)};
      } else {
        want = F.m.end_resume(g);
        if (r.released && r.st == status::suspended) {
          // Its release had to wait: only for lack of memory.
          if (!failed_alloc)
            diverge("released g%d yielded, and was neither unwound nor deferred (no allocation failed)", g);
          if (!r.deferred) F.m.defer(g);
        }
      }
      F.m.reap();
      break;
    }
  }
  if (raised && !raising && !(want.what == outcome::ERROR && want.e.kind == E_MOVE))
    diverge("a non-raising resume threw %s", show(got.e).c_str());
  if (got.what == outcome::UNSEEN) {
    if (want.what == outcome::ERROR)
      diverge("resume: the model expects %s, the generator was not read", show(want).c_str());
  } else {
    expect("resume", want, got);
  }
  if (raised) {
    stat(S_RERAISE);
    F.m.raise_in(c.self, got.e);
    std::rethrow_exception(raised);
  }
  return flow::next;
}

// --- yield ------------------------------------------------------------------------------------
void after_yield(int g, bool has_value, long v) {
  disarm();
  co_rec& r = F.m.at(g);
  if (F.m.current != g) diverge("g%d continued after its yield while the model says %d runs", g, F.m.current);
  if (r.st != status::running) diverge("g%d continued after its yield while %s", g, jmpco::to_string(r.st));
  if (r.closing) diverge("g%d continued normally while being closed", g);
  r.ran = true;
  if (has_value && v != r.inbox) diverge("g%d's yield received %ld, the resume passed %ld", g, v, r.inbox);
}

// How a yield is made.
enum yield_how {
  Y_YIELDER,      // yielder::try_yield
  Y_ANY,          // this_coroutine::try_yield with the body's signature
  Y_LONG,         // this_coroutine::try_yield<long(long)>
  Y_THROWING,     // yielder::yield(): raises failures, throws forced_unwind when closed
  Y_NOEXCEPT,     // this_coroutine::try_yield from inside a noexcept function
  Y_POISON_SELF,  // kind 4: a value whose move throws in the body, before the switch
  Y_POISON_BACK,  // kind 4: a value whose move throws in the resumer, after the switch
};
enum class yres { resumed, refused, closing };

template <class R>
errc code_of(const R& r) {
  return r.ok() ? errc::ok : r.code();
}

// One yield attempt; `dtor`: made by a destructor (then it never throws for the library's sake).
yres do_yield(ctx& c, yield_how how, bool oom, bool dtor) {
  const long w = next_value();
  note(c, dtor ? 'Q' : 'y', how, 0, w);
  if ((how == Y_POISON_SELF || how == Y_POISON_BACK) && c.k != K_MV) how = Y_YIELDER;
  if (c.self == MAIN) how = Y_LONG;  // main has no yielder
  errc want_refusal = errc::ok;
  if (c.self == MAIN) {
    want_refusal = errc::yield_outside;
  } else if (how == Y_LONG && c.k != K_CO && c.k != K_WRAP) {
    want_refusal = errc::type_mismatch;
  } else if (F.m.at(c.self).closing) {
    want_refusal = errc::yield_while_closing;
  }
  if (how == Y_THROWING && std::uncaught_exceptions() != 0 && want_refusal != errc::ok)
    return yres::refused;  // yield() would raise while an exception propagates: std::terminate
  if (how == Y_POISON_SELF && c.self != MAIN) {
    // The value's move into the coroutine's outbox throws in the body: nothing switches.
    F.m.raise_in(c.self, {E_MOVE, w});
    try {
      (void)static_cast<jmpco::yielder<mv_sig>*>(c.y)->try_yield(mv(w, true, F.m.at(c.self).core));
    } catch (const move_failure& e) {
      if (e.id != w) diverge("move_failure #%ld, not #%ld, came out of the yield", e.id, w);
      throw;
    }
    diverge("g%d yielded a value whose move throws, and nothing threw", c.self);
  }
  if (want_refusal == errc::ok) {
    co_rec& r = F.m.at(c.self);
    r.out = O_YIELD;
    r.outv = w;
    r.out_poison = how == Y_POISON_BACK;
  }
  std::optional<pause_injection> paused;
  if (how == Y_THROWING && std::uncaught_exceptions() != 0) paused.emplace();  // see above
  errc refused = errc::ok;
  const bool has_value = c.k != K_GEN;
  long received = 0;
  bool threw_forced = false;
  const unsigned long before = F.alloc_failures;
  if (oom) arm();
  try {
    if (how == Y_LONG) {
      auto r = jmpco::this_coroutine::try_yield<co_sig>(w);
      refused = code_of(r);
      if (r.ok()) received = *r;
    } else if (how == Y_NOEXCEPT) {
      [&]() noexcept {
        switch (c.k) {
          case K_GEN:
            refused = code_of(jmpco::this_coroutine::try_yield<long()>(w));
            break;
          case K_TUP: {
            auto r = jmpco::this_coroutine::try_yield<tup_sig>(w, make_str(w));
            refused = code_of(r);
            if (r.ok()) received = std::get<0>(*r);
            break;
          }
          case K_MV: {
            auto r = jmpco::this_coroutine::try_yield<mv_sig>(mv(w));
            refused = code_of(r);
            if (r.ok()) received = r->v;
            break;
          }
          default: {
            auto r = jmpco::this_coroutine::try_yield<co_sig>(w);
            refused = code_of(r);
            if (r.ok()) received = *r;
          }
        }
      }();
    } else if (how == Y_THROWING) {
      try {
        switch (c.k) {
          case K_GEN:
            static_cast<jmpco::yielder<long()>*>(c.y)->yield(w);
            break;
          case K_TUP: {
            std::tuple<long, std::string> t = static_cast<jmpco::yielder<tup_sig>*>(c.y)->yield(w, make_str(w));
            received = std::get<0>(t);
            if (received == 0 && !std::get<1>(t).empty()) diverge("a value-initialized tuple holds a string");
            if (received != 0 && std::get<1>(t) != make_str(received))
              diverge("g%d's yield received a corrupted string", c.self);
            break;
          }
          case K_MV:
            received = static_cast<jmpco::yielder<mv_sig>*>(c.y)->yield(mv(w)).v;
            break;
          default:
            received = static_cast<jmpco::yielder<co_sig>*>(c.y)->yield(w);
        }
      } catch (const jmpco::forced_unwind&) {
        threw_forced = true;
        throw;
      } catch (const jmpco::coroutine_error& e) {
        refused = e.error().code();
        if (refused == errc::ok || refused == errc::closing) diverge("yield() raised '%s'", jmpco::message(refused));
        const bool oom_refusal = refused == errc::out_of_memory && F.alloc_failures != before;
        if (refused != want_refusal && !oom_refusal)
          diverge("yield(): the model expects refusal '%s', jmpco raised '%s'", jmpco::message(want_refusal),
                  jmpco::message(refused));
        disarm();
        if (c.self != MAIN) F.m.at(c.self).out = O_NONE, F.m.at(c.self).out_poison = false;
        if (oom_refusal) stat(S_OOM_YIELD);
        F.m.raise_in(c.self, {E_MISUSE, static_cast<long>(refused)});
        throw;
      }
    } else if (c.k == K_GEN) {
      refused = how == Y_YIELDER ? code_of(static_cast<jmpco::yielder<long()>*>(c.y)->try_yield(w))
                                 : code_of(jmpco::this_coroutine::try_yield<long()>(w));
    } else if (c.k == K_TUP) {
      jmpco::result<std::tuple<long, std::string>> r =
          how == Y_YIELDER ? static_cast<jmpco::yielder<tup_sig>*>(c.y)->try_yield(w, make_str(w))
                           : jmpco::this_coroutine::try_yield<tup_sig>(w, make_str(w));
      refused = code_of(r);
      if (r.ok()) {
        received = std::get<0>(*r);
        if (std::get<1>(*r) != make_str(received)) diverge("g%d's yield received a corrupted string", c.self);
      }
    } else if (c.k == K_MV) {
      const int back = F.m.at(c.self).resumer;
      const mv out(w, how == Y_POISON_BACK, back == MAIN ? nullptr : F.m.at(back).core);
      jmpco::result<mv> r = how == Y_ANY ? jmpco::this_coroutine::try_yield<mv_sig>(out)
                                         : static_cast<jmpco::yielder<mv_sig>*>(c.y)->try_yield(out);
      refused = code_of(r);
      if (r.ok()) received = r->v;
    } else {
      jmpco::result<long> r = how == Y_YIELDER ? static_cast<jmpco::yielder<co_sig>*>(c.y)->try_yield(w)
                                               : jmpco::this_coroutine::try_yield<co_sig>(w);
      refused = code_of(r);
      if (r.ok()) received = *r;
    }
  } catch (const jmpco::forced_unwind& u) {
    // Only yield() throws it; before 1d72c48 try_yield did too (JMPCO_FUZZ_OLD_API: the build
    // of this fuzzer against the old library for the planted-bug check accepts that).
    if (!threw_forced && !JMPCO_FUZZ_OLD_API) diverge("g%d's try_yield threw forced_unwind", c.self);
    disarm();
#if !JMPCO_FUZZ_OLD_API
    if (u.target() != jmpco::this_coroutine::running())
      diverge("g%d's yield() threw another coroutine's forced_unwind", c.self);
#else
    (void)u;
#endif
    F.m.closing_arrived(c.self);
    throw;
  }
  const bool failed_alloc = F.alloc_failures != before;
  disarm();
  if (c.self != MAIN && refused == errc::ok && how == Y_THROWING &&
      !(F.m.current == c.self && !F.m.at(c.self).closing && F.m.at(c.self).out == O_NONE)) {
    // yield() returned while an exception propagates: it was closed (value-initialized result).
    refused = errc::closing;
    if (received != 0) diverge("yield() of a closed g%d returned %ld, not a value-initialized value", c.self, received);
  }
  if (refused == errc::closing) {
    if (c.self == MAIN) diverge("errc::closing on the main context");
    F.m.closing_arrived(c.self);
    if (F.m.at(c.self).out == O_YIELD) diverge("closing arrived with the yield pending");
    return yres::closing;
  }
  if (want_refusal != errc::ok) {
    if (refused != want_refusal)
      diverge("yield: the model expects refusal '%s', jmpco gave '%s'", jmpco::message(want_refusal),
              jmpco::message(refused));
    return yres::refused;
  }
  if (refused == errc::out_of_memory && failed_alloc) {
    // Its stack could not be saved: it keeps running.
    F.m.at(c.self).out = O_NONE;
    F.m.at(c.self).out_poison = false;
    stat(S_OOM_YIELD);
    return yres::refused;
  }
  if (refused != errc::ok) diverge("yield refused with '%s'", jmpco::message(refused));
  after_yield(c.self, has_value, received);
  return yres::resumed;
}

// A yield operation of the interpreter: when the coroutine was closed while suspended, the
// forced unwind is thrown here, each way the API offers.
flow op_yield(const node& n, ctx& c, yield_how how, bool oom) {
  (void)n;
  if (do_yield(c, how, oom, false) != yres::closing) return flow::next;
  co_rec& r = F.m.at(c.self);
  if (r.cx.fly.kind != E_FORCED)
    diverge("g%d closed at an operation boundary with %s in flight", c.self, show(r.cx.fly).c_str());
  const jmpco::error closing(errc::closing);
  switch (how) {
    case Y_YIELDER:
      closing.rethrow();
      break;
    case Y_ANY:
      (void)jmpco::result<long>(closing).value();
      break;
    default:
      jmpco::coroutine_core::unwind_for_close();
  }
  diverge("rethrowing errc::closing in g%d did not throw", c.self);
}

// --- raise, close, destroy, move --------------------------------------------------------------
flow op_raise(const node& n, ctx& c) {
  const long id = next_err_id();
  const int k = digit(n.a) % 4;
  note(c, 'e', k, 0, id);
  switch (k) {
    case 0:
      F.m.raise_in(c.self, {E_STD, id});
      throw fuzz_std_error(id);
    case 1:
      F.m.raise_in(c.self, {E_INT, id});
      throw static_cast<int>(id);
    case 2:
      F.m.raise_in(c.self, {E_CUSTOM, id});
      throw fuzz_custom{id};
    default:
      F.m.raise_in(c.self, {E_RAISED, id});
      jmpco::this_coroutine::raise(jmpco::error(static_cast<int>(id), raised_text(id)));
  }
}

// close() of slot s; `dtor`: from a destructor.
void do_close(int s, ctx& c) {
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return;
  slot_t& S = F.slots[s];
  if (S.k != K_CO && S.k != K_TUP && S.k != K_MV) return;  // wraps and generators have no close()
  note(c, 'C', s, g, 0);
  const pred p = F.m.begin_close(g, c.self);
  const unsigned long before = F.alloc_failures;
  // The handle may be destroyed by a destructor the unwind runs: close() must not touch it after.
  jmpco::result<void> r = S.k == K_CO ? S.co->close() : S.k == K_TUP ? S.tup->close() : S.mvc->close();
  const err got = describe(r.error());
  err want;
  switch (p.what) {
    case P_MISUSE:
      want = {E_MISUSE, static_cast<long>(p.code)};
      break;
    case P_IMMEDIATE:
      want = p.e;
      break;
    default:
      if (!F.m.at(g).ran) {
        if (F.alloc_failures == before) diverge("close of g%d returned without unwinding it", g);
        // Not enough memory to enter it: it stays suspended and intact.
        co_rec& rr = F.m.at(g);
        rr.closing = false;
        if (rr.cx.fly.kind == E_FORCED) rr.cx.fly = err();
        F.m.revert_resume(g, true);
        want = {E_MISUSE, static_cast<long>(errc::out_of_memory)};
      } else {
        want = F.m.end_close(g);
      }
      break;
  }
  if (got != want) diverge("close: the model expects %s, jmpco gave %s", show(want).c_str(), show(got).c_str());
  F.m.reap();
}

flow op_close(const node& n, ctx& c) {
  do_close(digit(n.a) % kSlots, c);
  return flow::next;
}

// d S: release a handle that is not running or normal; D S: any handle (a body may release its
// own coroutine, or one that resumed it).
flow op_destroy(const node& n, ctx& c, bool any) {
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return flow::next;
  if (!any && !F.m.can_drop(g, c.self)) return flow::next;
  note(c, any ? 'D' : 'd', s, g, 0);
  drop_slot(s, c.self, true);
  return flow::next;
}

// Moves handle `from` into slot `to`, whatever the state of its coroutine. `top`: not from a
// destructor.
void do_move(int from, int to, ctx& c, bool top) {
  const int g = F.m.slot_gen[from];
  if (from == to || g == NO_HANDLE) return;
  slot_t& A = F.slots[from];
  slot_t& B = F.slots[to];
  note(c, 'm', from, to, g);
  const int old = F.m.slot_gen[to];
  const bool same = old != NO_HANDLE && B.k == A.k && (A.k == K_CO || A.k == K_TUP || A.k == K_MV);
  // Move assignment releases the old coroutine of `to` first; only where that runs no code (an
  // unwind's destructors may act on these very slots).
  const bool quiet = old < 0 || F.m.active(old) || !F.m.at(old).started || F.m.at(old).st == status::dead;
  if (same && quiet) {
    const unsigned long before = F.alloc_failures;
    const bool old_active = F.m.active(old);
    if (old >= 0 && !F.m.at(old).released) {
      F.m.at(old).released = true;
      F.m.released.push_back(old);
    }
    F.m.slot_gen[to] = NO_HANDLE;
    switch (A.k) {
      case K_CO:
        *B.co = std::move(*A.co);
        break;
      case K_TUP:
        *B.tup = std::move(*A.tup);
        break;
      default:
        *B.mvc = std::move(*A.mvc);
        break;
    }
    if (old >= 0 && !old_active) settle_release(old, F.alloc_failures != before);
  } else {
    for (int i = 0; i < 8 && F.m.slot_gen[to] != NO_HANDLE; ++i) drop_slot(to, c.self, top && i == 0);
    if (F.m.slot_gen[to] != NO_HANDLE || F.m.slot_gen[from] != g) return;  // destructors moved things
    B.clear();
    B.k = A.k;
    switch (A.k) {
      case K_CO:
        B.co = std::make_unique<co_t>(std::move(*A.co));
        break;
      case K_TUP:
        B.tup = std::make_unique<tup_t>(std::move(*A.tup));
        break;
      case K_MV:
        B.mvc = std::make_unique<mv_t>(std::move(*A.mvc));
        break;
      case K_WRAP:
        B.wr = std::make_unique<wrap_t>(std::move(*A.wr));
        break;
      case K_GEN:
        B.gen = std::make_unique<gen_t>(std::move(*A.gen));
        B.gen_begun = A.gen_begun;
        break;
    }
  }
  F.m.slot_gen[to] = g;
  F.m.slot_gen[from] = EMPTY_HANDLE;
  if (g >= 0) F.m.at(g).slot = to;
}

flow op_move(const node& n, ctx& c) {
  do_move(digit(n.a) % kSlots, digit(n.b) % kSlots, c, true);
  return flow::next;
}

// q M S B: an object whose destructor acts on slot S when B is left, by any way: returning,
// an error, a close's forced unwind.
struct acting_object {
  ctx& c;
  int mode, slot;
  counted obj;
  acting_object(ctx& cx, int m, int s) : c(cx), mode(m), slot(s), obj(cx.self) {}
  acting_object(const acting_object&) = delete;
  acting_object& operator=(const acting_object&) = delete;
  ~acting_object() noexcept(false) {
    if (F.m.current != c.self)
      diverge("an acting object of context %d is destroyed while %d runs", c.self, F.m.current);
    switch (mode) {
      case 0: {
        const int g = F.m.slot_gen[slot];
        if (g == NO_HANDLE) break;
        note(c, 'D', slot, g, 1);
        drop_slot(slot, c.self);
        break;
      }
      case 1:
        do_close(slot, c);
        break;
      case 2:
      case 3:
        if (F.skip_ops.find('Q') != std::string::npos) break;  // JMPCO_FUZZ_SKIP_OPS=Q: no yields here
        (void)do_yield(c, mode == 2 ? Y_ANY : Y_THROWING, false, true);
        break;
      default:
        do_move(slot, (slot + 1) % kSlots, c, false);
        break;
    }
  }
};

flow op_acting(const node& n, ctx& c) {
  const int mode = digit(n.a) % 5;
  const int slot = digit(n.b) % kSlots;
  note(c, 'q', mode, slot, 0);
  flow f;
  {
    acting_object o(c, mode, slot);
    f = exec_block(n, c);
  }
  throw_if_closing(c);
  return f;
}

// a K: the K-th allocation from now fails.
flow op_fail_alloc(const node& n, ctx& c) {
  static const int table[] = {1, 2, 3, 4, 5, 6, 8, 10, 16, 32};
  const int k = n.a >= '0' && n.a <= '9' ? table[n.a - '0'] : 1 + n.a % 32;
  note(c, 'a', k, 0, 0);
  F.fail_countdown = k;
  return flow::next;
}

// U: rethrows a forced_unwind kept from another coroutine's close: here it is an error like any
// other (no pcall scope of the fuzzer catches a forced_unwind), and a coroutine it escapes dies
// with errc::exception, never silently.
flow op_rethrow_unwind(ctx& c) {
  if (!F.captured_unwind || JMPCO_FUZZ_OLD_API) return flow::next;
  note(c, 'U', 0, 0, 0);
  ctx_rec& x = F.m.cx(c.self);
  x.fly = {E_FORCED, 1};
  x.catchable = c.self == MAIN;
  std::rethrow_exception(F.captured_unwind);
}

flow op_run_deferred(ctx& c) {
  note(c, 'X', 0, 0, 0);
  const unsigned long before = F.alloc_failures;
  const std::size_t left = jmpco::coroutine_core::run_deferred_closes();
  F.m.reap();
  if (left != F.m.ndeferred) diverge("run_deferred_closes() left %zu, the model says %zu", left, F.m.ndeferred);
  if (left != 0 && F.alloc_failures == before)
    diverge("run_deferred_closes() left %zu though no allocation failed", left);
  return flow::next;
}

// F S: switches from a signal handler running on an mmap'd alternate stack.
struct foreign_request {
  co_t* co = nullptr;
  long v = 0;
  errc resumed = errc::ok, yielded = errc::ok;
  bool done = false;
};
foreign_request foreign;
int foreign_signal() { return SIGRTMIN + 3; }

void on_foreign_signal(int) {
  if (foreign.co != nullptr) foreign.resumed = code_of(foreign.co->resume(foreign.v));
  foreign.yielded = code_of(jmpco::this_coroutine::try_yield<co_sig>(foreign.v));
  foreign.done = true;
}

bool install_foreign_stack() {
  static thread_local int state = 0;  // 1 installed, 2 impossible
  if (state != 0) return state == 1;
  state = 2;
  const std::size_t size = 256 * 1024;
  void* mem = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return false;
  stack_t ss{};
  ss.ss_sp = mem;
  ss.ss_size = size;
  if (sigaltstack(&ss, nullptr) != 0) return false;
  struct sigaction sa {};
  sa.sa_handler = &on_foreign_signal;
  sa.sa_flags = SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  if (sigaction(foreign_signal(), &sa, nullptr) != 0) return false;
  state = 1;
  return true;
}

flow op_foreign(const node& n, ctx& c) {
  if (!install_foreign_stack()) return flow::next;
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  const bool use = g != NO_HANDLE && F.slots[s].k == K_CO;
  note(c, 'F', s, use ? g : NO_HANDLE, 0);
  foreign = foreign_request();
  foreign.co = use ? F.slots[s].co.get() : nullptr;
  foreign.v = next_value();
  pthread_kill(pthread_self(), foreign_signal());
  if (!foreign.done) diverge("the signal handler did not run");
  if (use) {
    errc want = errc::foreign_stack;
    if (g == EMPTY_HANDLE)
      want = errc::empty_handle;
    else if (F.m.at(g).st == status::dead)
      want = errc::dead_coroutine;
    else if (F.m.at(g).st != status::suspended)
      want = errc::non_suspended;
    if (foreign.resumed != want)
      diverge("resume on a signal stack: the model expects '%s', jmpco gave '%s'", jmpco::message(want),
              jmpco::message(foreign.resumed));
  }
  errc want_y = errc::foreign_stack;
  if (c.self == MAIN)
    want_y = errc::yield_outside;
  else if (c.k != K_CO && c.k != K_WRAP)
    want_y = errc::type_mismatch;
  if (foreign.yielded != want_y)
    diverge("try_yield on a signal stack: the model expects '%s', jmpco gave '%s'", jmpco::message(want_y),
            jmpco::message(foreign.yielded));
  return flow::next;
}

flow op_limit(const node& n, ctx& c) {
  static const unsigned table[] = {1, 2, 3, 5, 10, 20, 50, 100, 200, 250};
  const unsigned limit = n.a >= '0' && n.a <= '9' ? table[n.a - '0'] : 1 + n.a % 250u;
  note(c, 'l', static_cast<int>(limit), 0, 0);
  jmpco::coroutine_core::set_nesting_limit(limit);
  F.m.limit = limit;
  return flow::next;
}

flow op_reserve(const node& n, ctx& c) {
  const bool huge = digit(n.a) % 2 == 1;
  note(c, 's', huge, 0, 0);
  jmpco::coroutine_core::set_stack_reserve(huge ? (std::size_t{1} << 40) : 64 * 1024);
  F.m.huge_reserve = huge;
  return flow::next;
}

// --- blocks -----------------------------------------------------------------------------------
struct pcall_scope {
  int self;
  explicit pcall_scope(int s) : self(s) { ++F.m.cx(self).pd; }
  ~pcall_scope() { --F.m.cx(self).pd; }
};

flow protected_block(const node& n, ctx& c) {
  try {
    pcall_scope scope(c.self);
    return exec_block(n, c);
  } catch (const jmpco::forced_unwind&) {
    throw;
  } catch (const close_failure&) {
    throw;
  } catch (...) {
    F.m.caught(c.self, describe_current());
  }
  return flow::next;
}

struct level_scope {
  int self;
  ~level_scope() {
    jmpco::coroutine_core::leave_level();
    ctx_rec& r = F.m.cx(self);
    if (r.level > 0) --r.level;
  }
};

flow op_pcall_level(const node& n, ctx& c) {
  const bool want_overflow = F.m.over_limit(c.self);
  const errc e = jmpco::coroutine_core::enter_level();
  if ((e == errc::c_stack_overflow) != want_overflow || (e != errc::ok && e != errc::c_stack_overflow))
    diverge("enter_level() gave '%s', the model expects %s", jmpco::message(e), want_overflow ? "overflow" : "ok");
  note(c, 'P', static_cast<int>(e), 0, 0);
  if (e != errc::ok) return flow::next;
  ++F.m.cx(c.self).level;
  level_scope scope{c.self};
  return protected_block(n, c);
}

std::string probe_of_current() {
  try {
    throw;
  } catch (const catch_probe& p) {
    return std::to_string(p.id);
  } catch (...) {
    return "other";
  }
}

flow op_catch_block(const node& n, ctx& c) {
  const long id = next_err_id();
  try {
    throw catch_probe{id};
  } catch (const catch_probe& e) {
    const flow f = exec_block(n, c);
    if (e.id != id) diverge("the caught exception object changed (%ld, not %ld)", e.id, id);
    std::exception_ptr now = std::current_exception();
    if (!now) diverge("std::current_exception() is empty inside a catch block of g%d", c.self);
    std::string seen;
    try {
      std::rethrow_exception(now);
    } catch (...) {
      seen = probe_of_current();
    }
    if (seen != std::to_string(id)) diverge("inside catch block #%ld std::current_exception() is %s", id, seen.c_str());
    return f;
  }
}

flow op_guard(const node& n, ctx& c) {
  const bool replace = digit(n.a) % 2 == 1;
  const long id = next_err_id();
  try {
    return exec_block(n, c);
  } catch (const jmpco::forced_unwind& u) {
    if (is_foreign_unwind(u)) throw;  // another coroutine's (U): an error like any other here
    if (c.self == MAIN) diverge("forced_unwind on the main context");
    co_rec& r = F.m.at(c.self);
    if (!r.closing || r.cx.fly != err{E_FORCED, 0}) diverge("a guard of g%d saw an unexpected forced_unwind", c.self);
    if (!F.captured_unwind) F.captured_unwind = std::current_exception();  // for U
    if (replace) {
      stat(S_CLOSE_REPLACED);
      r.cx.fly = {E_CLOSE, id};
      r.cx.catchable = false;
      throw close_failure{id};
    }
    throw;
  }
}

flow op_catch_all(const node& n, ctx& c) {
  try {
    return exec_block(n, c);
  } catch (...) {
    throw;
  }
}

JMPCO_NOINLINE flow recurse(int depth, const node& n, ctx& c, long salt) {
  volatile long pattern[3] = {salt ^ depth, ~salt + depth, salt * 31 + depth};
  std::optional<counted> obj;
  if ((depth & 31) == 0) obj.emplace(c.self);
  const flow f = depth == 0 ? exec_block(n, c) : recurse(depth - 1, n, c, salt);
  if (pattern[0] != (salt ^ depth) || pattern[1] != ~salt + depth || pattern[2] != salt * 31 + depth)
    diverge("recursion frame %d of context %d was corrupted", depth, c.self);
  return f;
}

struct frame_budget {
  int self, depth;
  frame_budget(int s, int d) : self(s), depth(d) {
    F.frames_live += d;
    if (self != MAIN) F.m.at(self).frames += d;
  }
  ~frame_budget() {
    F.frames_live -= depth;
    if (self != MAIN) F.m.at(self).frames -= depth;
  }
};

flow op_recurse(const node& n, ctx& c) {
  int depth = n.a >= '0' && n.a <= '9' ? (n.a - '0') * 200 : n.a * 8;
  if (depth > kMaxFrames - F.frames_live) depth = kMaxFrames - F.frames_live;
  if (depth < 0) depth = 0;
  note(c, 'n', depth, 0, 0);
  F.ops += depth / 64;
  frame_budget budget(c.self, depth);
  return recurse(depth, n, c, next_value());
}

// `h K D B`: a chain of D new coroutines, each resuming the next (K odd: with .value(), so an
// error raised at the bottom kills every link on its way up); the last one runs B. Nesting runs
// into the limit here: every link is one level deeper.
struct chain_body {
  int g;
  int left;  // links still to make below this one
  const node* n;
  bool raising;
  counted cap;
  long operator()(jmpco::yielder<co_sig>& y, long v);
};

int make_chain_link(int left, const node& n, bool raising) {
  const int g = static_cast<int>(F.m.co.size());
  co_rec rec;
  rec.k = K_CO;
  rec.slot = -1;
  F.m.co.push_back(rec);
  ++F.chain_links;
  auto h = std::make_unique<slot_t>();
  h->k = K_CO;
  pause_injection no_failures;  // `a` does not aim at chain links' creation
  {
    counted cap(kCapBase + g);
    h->co = std::make_unique<co_t>(chain_body{g, left, &n, raising, cap});
  }
  F.m.at(g).core = h->co->core();
  if (F.m.at(g).live_cap != 1) diverge("chain link g%d holds %d captured objects", g, F.m.at(g).live_cap);
  F.anon.push_back(std::move(h));
  F.anon_live.push_back(g);
  return g;
}

long chain_body::operator()(jmpco::yielder<co_sig>& y, long v) {
  on_entry(g, true, v);
  ctx c{g, K_CO, &y};
  long result;
  try {
    counted top(g);
    if (left > 0 && F.chain_links < kMaxChainLinks) {
      const int next = make_chain_link(left - 1, *n, raising);
      F.ops += 1;
      (void)resume_handle(c, *F.anon[static_cast<std::size_t>(next)], next, raising, false);
    } else {
      (void)exec_block(*n, c);
    }
    throw_if_closing(c);
    result = next_value();
  } catch (...) {
    F.m.body_left(g);
    throw;
  }
  on_finish(g, result);
  return result;
}

flow op_chain(const node& n, ctx& c) {
  static const int table[] = {1, 2, 3, 10, 50, 100, 197, 199, 200, 255};
  const int depth = n.b >= '0' && n.b <= '9' ? table[n.b - '0'] : 1 + n.b % 255;
  const bool raising = digit(n.a) % 2 == 1;
  if (F.chain_links >= kMaxChainLinks) return flow::next;
  note(c, 'h', depth, raising, 0);
  const int first = make_chain_link(depth - 1, n, raising);
  flow f = flow::next;
  f = resume_handle(c, *F.anon[static_cast<std::size_t>(first)], first, raising, false);
  drop_anon(c.self);
  return f;
}

flow op_object(const node& n, ctx& c) {
  counted here(c.self);
  return exec_block(n, c);
}

flow op_loop(const node& n, ctx& c) {
  const int times = 1 + digit(n.a) % 4;
  for (int i = 0; i < times; ++i)
    if (exec_block(n, c) == flow::ret) return flow::ret;
  return flow::next;
}

flow exec(const node& n, ctx& c) {
  throw_if_closing(c);
  F.ops += 1 + F.frames_live / 256;
  if (F.ops > kMaxOps) return flow::ret;  // out of budget: every body returns, main stops
  check_context(c);
  if (!F.skip_ops.empty() && n.op != '[' && F.skip_ops.find(n.op) != std::string::npos) {
    // Skipped (JMPCO_FUZZ_SKIP_OPS; Q: the yields of q's destructors); a skipped q still runs
    // its block, with no acting object.
    return n.op == 'q' ? exec_block(n, c) : flow::next;
  }
  switch (n.op) {
    case '[':
      return exec_list(n.kids, c);
    case 'c':
      return op_create(n, c, false);
    case 'z':
      return op_create(n, c, true);
    case 'r':
      return op_resume(n, c, false, false);
    case 'R':
      return op_resume(n, c, true, false);
    case 'u':
      return op_resume(n, c, false, true);
    case 'y':
      return op_yield(n, c, Y_YIELDER, false);
    case 'v':
      return op_yield(n, c, Y_YIELDER, true);
    case 'Y':
      return op_yield(n, c, digit(n.a) % 2 == 0 ? Y_ANY : Y_LONG, false);
    case 'i':
      return op_yield(n, c, Y_NOEXCEPT, false);
    case 'j':
      return op_yield(n, c, Y_THROWING, false);
    case 'b':
      return op_yield(n, c, digit(n.a) % 2 == 0 ? Y_POISON_SELF : Y_POISON_BACK, false);
    case 'T':
      return op_throwing_resume(n, c);
    case 'D':
      return op_destroy(n, c, true);
    case 'q':
      return op_acting(n, c);
    case 'a':
      return op_fail_alloc(n, c);
    case 'X':
      return op_run_deferred(c);
    case 'U':
      return op_rethrow_unwind(c);
    case 'F':
      return op_foreign(n, c);
    case 'e':
      return op_raise(n, c);
    case 'x':
      note(c, 'x', 0, 0, 0);
      return flow::ret;
    case 'C':
      return op_close(n, c);
    case 'd':
      return op_destroy(n, c, false);
    case 'm':
      return op_move(n, c);
    case 'l':
      return op_limit(n, c);
    case 's':
      return op_reserve(n, c);
    case 'p':
      return protected_block(n, c);
    case 'P':
      return op_pcall_level(n, c);
    case 't':
      return op_catch_block(n, c);
    case 'g':
      return op_guard(n, c);
    case 'k':
      return op_catch_all(n, c);
    case 'n':
      return op_recurse(n, c);
    case 'o':
      return op_object(n, c);
    case 'w':
      return op_loop(n, c);
    case 'h':
      return op_chain(n, c);
    default:
      diverge("unknown operation '%c'", n.op);
  }
}

// ---------------------------------------------------------------------------------------------
// One input.
void* run_input(void*) {
  ctx main{MAIN, K_CO, nullptr};
  for (const node& n : F.programs[0]) {
    flow f = flow::next;
    try {
      f = exec(n, main);
    } catch (...) {
      F.m.caught(MAIN, describe_current());
    }
    if (f == flow::ret) break;
  }
  // Tear down from the main context, with the default limits: every handle goes, and every
  // suspended coroutine is unwound.
  ctx& c = main;
  check_context(c);
  jmpco::coroutine_core::set_nesting_limit(200);
  jmpco::coroutine_core::set_stack_reserve(64 * 1024);
  F.m.limit = 200;
  F.m.huge_reserve = false;
  // A destructor a release runs may move a handle into a slot already emptied: go round again.
  for (bool any = true; any;) {
    any = false;
    for (int s = 0; s < kSlots; ++s) {
      if (F.m.slot_gen[s] == NO_HANDLE) continue;
      if (!F.m.can_drop(F.m.slot_gen[s], MAIN)) diverge("slot %d cannot be dropped from main", s);
      drop_slot(s, MAIN);
      any = true;
    }
  }
  drop_anon(MAIN);
  if (!F.anon_live.empty()) diverge("chain coroutines cannot be dropped from main");
  F.fail_countdown = 0;
  disarm();
  // No allocation fails now: every deferred unwind runs.
  if (jmpco::coroutine_core::run_deferred_closes() != 0) diverge("deferred unwinds are left at the end");
  F.m.reap();
  if (F.m.ndeferred != 0) diverge("the model has %zu deferred unwinds that never ran", F.m.ndeferred);
  check_context(c);
  for (std::size_t i = 0; i < F.objs.size(); ++i)
    if (F.objs[i].state != 2) diverge("counted object %zu (owner %d) was never destroyed", i, F.objs[i].owner);
  for (std::size_t g = 0; g < F.m.co.size(); ++g)
    if (F.m.co[g].channel) diverge("g%zu's coroutine object was never released", g);
  if (F.frames_live != 0) diverge("%d recursion frames still counted", F.frames_live);
  // The worker thread runs the next input too: nothing may be left behind.
  if (jmpco::this_coroutine::running() != nullptr || jmpco::coroutine_core::level() != 0)
    diverge("the thread's main context is not clean after the input");
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  jmpco::allocator a;
  a.allocate = &fuzz_allocate;
  a.deallocate = &fuzz_deallocate;
  jmpco::set_allocator(a);
  const char* t = std::getenv("JMPCO_FUZZ_TRACE");
  F.trace = t != nullptr && *t != '\0' && *t != '0';
  if (const char* skip = std::getenv("JMPCO_FUZZ_SKIP_OPS")) F.skip_ops = skip;
  const char* st = std::getenv("JMPCO_FUZZ_STATS");
  stats_enabled = st != nullptr && *st != '\0' && *st != '0';
  if (stats_enabled) std::atexit(&print_stats);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;  // keep inputs small; longer ones add nothing but time
  F.programs.clear();
  F.nodes = 0;
  const std::uint8_t* start = data;
  const std::uint8_t* end = data + size;
  for (const std::uint8_t* p = data;; ++p) {
    if (p == end || *p == '|') {
      parser ps{start, p};
      F.programs.push_back(ps.all());
      if (p == end || F.programs.size() >= 32) break;
      start = p + 1;
    }
  }
  F.program_dump.clear();
  for (std::size_t i = 0; i < F.programs.size(); ++i) {
    F.program_dump += "  " + std::to_string(i) + ": ";
    for (const node& n : F.programs[i]) dump_node(n, F.program_dump);
    F.program_dump += "\n";
  }
  if (F.trace) std::fprintf(stderr, "programs:\n%s", F.program_dump.c_str());
  F.m.reset();
  F.anon.clear();
  F.anon_live.clear();
  F.creations = 0;
  F.chain_links = 0;
  F.objs.clear();
  F.value_serial = 0;
  F.err_serial = 0;
  F.ops = 0;
  F.frames_live = 0;
  F.ring_pos = 0;
  F.fail_countdown = 0;
  F.injection_paused = 0;
  F.captured_unwind = nullptr;
  disarm();
  static jmpco_fuzz::big_stack_worker worker(kWorkerStack);
  worker.run(&run_input, nullptr);
  for (slot_t& s : F.slots) s.clear();
  return 0;
}
