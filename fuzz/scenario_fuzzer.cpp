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
//
// The handle of a running or normal coroutine is never moved or destroyed (see
// regressions/resume_reads_handle_after_switch.cpp), and a suspended coroutine is destroyed only
// where its stack can be unwound (else jmpco drops the stack and its objects' memory leaks).
//
// Limits per input: 2000 operations (deep stacks cost more), 64 coroutines created in slots and
// 1024 in chains, 16 slots, 3000 recursion frames alive at once. Environment:
// JMPCO_FUZZ_TRACE=1 prints the programs and every operation, JMPCO_FUZZ_STATS=1 counts events.
//
// Built with -DJMPCO_FUZZ_PLANT_DIVERGENCE=1 the model is deliberately wrong about the nesting
// limit (off by one); fuzz/check_divergence_detection.sh shows that this build traps.
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

#ifndef JMPCO_FUZZ_PLANT_DIVERGENCE
#define JMPCO_FUZZ_PLANT_DIVERGENCE 0
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
constexpr int MAIN = -1;        // the thread's main context
constexpr int NO_HANDLE = -1;   // slot_gen: nothing in the slot
constexpr int EMPTY_HANDLE = -2;  // slot_gen: a handle object that holds no coroutine

enum kind : std::uint8_t { K_CO, K_WRAP, K_GEN, K_TUP };
const char* kind_name(kind k) {
  static const char* const names[] = {"coroutine", "wrap", "generator", "tuple-coroutine"};
  return names[k];
}

using co_sig = long(long);
using tup_sig = std::tuple<long, std::string>(long, std::string);
using co_t = jmpco::coroutine<co_sig>;
using wrap_t = jmpco::wrapped<co_sig>;
using gen_t = jmpco::generator<long>;
using tup_t = jmpco::coroutine<tup_sig>;

// ---------------------------------------------------------------------------------------------
// Errors: what can be raised, and how the model names it.
// E_MISUSE_DEATH: a misuse error (a dead wrap called, an overflow re-raised by .value()) that
// escaped a body: jmpco turns it into a death, an errc::raised error whose user code is the
// misuse code and whose text is Lua's message, so that no resumer mistakes it for a misuse of
// its own resume.
enum ek : std::uint8_t { E_NONE, E_STD, E_INT, E_CUSTOM, E_RAISED, E_MISUSE, E_CLOSE, E_FORCED, E_MISUSE_DEATH };

struct err {
  ek kind = E_NONE;
  long id = 0;
};
bool operator==(err a, err b) { return a.kind == b.kind && a.id == b.id; }
bool operator!=(err a, err b) { return !(a == b); }

std::string show(err e) {
  static const char* const names[] = {"none",   "std-exception", "int",           "custom",
                                      "raised", "misuse",        "close",         "forced-unwind",
                                      "death by misuse"};
  std::string s = names[e.kind];
  if (e.kind == E_MISUSE || e.kind == E_MISUSE_DEATH) {
    s += std::string("(") + jmpco::message(static_cast<errc>(e.id)) + ")";
  } else if (e.kind != E_NONE && e.kind != E_FORCED) {
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
  int self;    // MAIN or the coroutine's generation number
  kind k;      // of the coroutine
  void* y;     // its typed yielder
};

// ---------------------------------------------------------------------------------------------
// The model.
enum out_t : std::uint8_t { O_NONE, O_YIELD, O_FINISH };

struct ctx_rec {
  unsigned level = 0;  // Lua's nCcalls for this context
  int pd = 0;          // pcall-like scopes active
  err fly;             // the error propagating in this context, if any
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
  bool entered = false;   // its body has run (first resume delivered)
  bool ran = false;       // it ran since the last resume began
  bool channel = true;    // the coroutine object exists
  bool closing = false;
  int resumer = MAIN;
  long inbox = 0;
  out_t out = O_NONE;
  long outv = 0;
  err death;  // what close() must hand out
  const void* core = nullptr;
  int live_cap = 0;  // counted objects captured by the body
  int frames = 0;    // recursion frames alive on its stack
};

enum pred_t { P_OK, P_MISUSE, P_END, P_IMMEDIATE, P_UNWIND };
struct pred {
  pred(pred_t w, errc c = errc::ok) : what(w), code(c) {}  // NOLINT: implicit on purpose
  pred_t what;
  errc code;
  err e;
};

// What the resumer must see.
struct outcome {
  enum { VALUE, END, ERROR } what = VALUE;
  long v = 0;
  err e;
};
std::string show(const outcome& o) {
  switch (o.what) {
    case outcome::VALUE: return "value " + std::to_string(o.v);
    case outcome::END: return "end of generator";
    case outcome::ERROR: return "error " + show(o.e);
  }
  return "?";
}

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
  bool gen_begun = false;
  void clear() {
    co.reset();
    wr.reset();
    gen.reset();
    tup.reset();
    gen_begun = false;
  }
};

struct obj_info {
  int owner;
  std::uint8_t state;  // 1 alive, 2 destroyed
  const void* addr;
};

[[noreturn]] void diverge(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Event counters, printed at exit with JMPCO_FUZZ_STATS=1 (to see what a corpus exercises).
enum stat_id {
  S_RESUME_OK, S_RESUME_MISUSE, S_OVERFLOW, S_OOM_RESUME, S_OOM_YIELD, S_OOM_CREATE, S_YIELD,
  S_FINISH, S_DEATH, S_CAUGHT, S_RERAISE, S_CLOSE_UNWIND, S_CLOSE_REPLACED, S_DROP_UNWIND,
  S_MAX_LEVEL, S_DEEP_RESUME, S_COUNT
};
const char* const stat_names[S_COUNT] = {
    "resume ok", "resume misuse", "C stack overflow", "resume out of memory", "yield out of memory",
    "create out of memory", "yield", "finish", "death by error", "caught by pcall", "re-raised in resumer",
    "close unwinds", "close error replaced", "destroy unwinds", "deepest level", "resume below 1000 frames"};
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

  void reset() {
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
#if JMPCO_FUZZ_PLANT_DIVERGENCE
    return cx(self).level + 1 >= limit;  // planted: off by one
#else
    return cx(self).level + 1 > limit;
#endif
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
    } else if (r.out == O_FINISH) {
      stat(S_FINISH);
      r.st = status::dead;
      if (r.k == K_GEN) o.what = outcome::END;
      o.v = r.outv;
    } else {
      if (r.cx.fly.kind == E_NONE) diverge("g%d left without yielding, returning or raising", g);
      if (r.cx.catchable)
        diverge("g%d died with %s, which a pcall scope inside it should have caught", g,
                show(r.cx.fly).c_str());
      r.st = status::dead;
      if (r.cx.fly.kind == E_MISUSE) r.cx.fly.kind = E_MISUSE_DEATH;  // jmpco's as_death()
      r.death = r.cx.fly;
      stat(S_DEATH);
      o.what = outcome::ERROR;
      o.e = r.cx.fly;
      r.cx.fly = err();
    }
    r.out = O_NONE;
    if (r.st == status::dead && r.cx.live_stack != 0)
      diverge("g%d is dead but %d counted objects on its stack are alive", g, r.cx.live_stack);
    return o;
  }

  pred begin_close(int g, int self) {
    if (g == EMPTY_HANDLE) return {P_IMMEDIATE};
    co_rec& r = at(g);
    switch (r.st) {
      case status::running: return {P_MISUSE, errc::close_running};
      case status::normal: return {P_MISUSE, errc::close_normal};
      case status::dead: {
        pred p{P_IMMEDIATE};
        p.e = r.death;
        r.death = err();
        return p;
      }
      case status::suspended: break;
    }
    if (!r.started) {
      r.st = status::dead;
      return {P_IMMEDIATE};
    }
    if (over_limit(self)) return {P_MISUSE, errc::c_stack_overflow};
    enter(g, self);
    r.closing = true;
    r.cx.fly = {E_FORCED, 0};
    r.cx.catchable = false;
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
    err result = r.cx.fly.kind == E_CLOSE ? r.cx.fly : err();
    r.cx.fly = err();
    r.death = err();
    if (r.cx.live_stack != 0)
      diverge("g%d was closed but %d counted objects on its stack are alive", g, r.cx.live_stack);
    return result;
  }

  // Whether releasing the coroutine in slot g can unwind its stack from `self` (else jmpco
  // discards the stack, which the fuzzer avoids: the heap memory of its objects would leak).
  bool can_drop(int g, int self) {
    if (g < 0) return true;
    co_rec& r = at(g);
    if (r.st == status::running || r.st == status::normal) return false;
    if (r.st == status::suspended && r.started && over_limit(self)) return false;
    return true;
  }

  void raise_in(int self, err e) {
    ctx_rec& c = cx(self);
    c.fly = e;
    c.catchable = self == MAIN || c.pd > 0;
  }

  void caught(int self, err e) {
    ctx_rec& c = cx(self);
    if (c.fly != e)
      diverge("context %d caught %s but %s was raised there", self, show(e).c_str(), show(c.fly).c_str());
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
  trace_rec ring[64];
  unsigned ring_pos = 0;
  std::string program_dump;
  // The failing allocator.
  bool alloc_armed = false;
  int alloc_failures = 0;
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
    if (v >= '0' && v <= '9') out += static_cast<char>(v);
    else out += "{" + std::to_string(v) + "}";
  };
  switch (n.op) {
    case 'c': case 'z': arg(n.a); arg(n.b); arg(n.c); break;
    case 'r': case 'R': case 'u': case 'Y': case 'e': case 'C': case 'd': case 'l': case 's':
    case 'g': case 'n': case 'w': arg(n.a); break;
    case 'm': case 'h': arg(n.a); arg(n.b); break;
    default: break;
  }
  for (const node& k : n.kids) dump_node(k, out);
}

void print_trace() {
  std::fprintf(stderr, "programs:\n%s", F.program_dump.c_str());
  std::fprintf(stderr, "last operations (context: op args value):\n");
  const unsigned n = F.ring_pos < 64 ? F.ring_pos : 64;
  for (unsigned i = F.ring_pos - n; i != F.ring_pos; ++i) {
    const trace_rec& t = F.ring[i % 64];
    std::fprintf(stderr, "  %s%d: %c %d %d v=%ld\n", t.self == MAIN ? "main" : "g", t.self == MAIN ? 0 : t.self,
                 t.op, t.a, t.b, t.v);
  }
  std::fprintf(stderr, "model: current=%d limit=%u huge_reserve=%d\n", F.m.current, F.m.limit,
               F.m.huge_reserve ? 1 : 0);
  for (std::size_t g = 0; g < F.m.co.size(); ++g) {
    const co_rec& r = F.m.co[g];
    std::fprintf(stderr, "  g%zu %s slot %d %s%s level %u resumer %d fly %s live %d cap %d\n", g,
                 kind_name(r.k), r.slot, jmpco::to_string(r.st), r.channel ? "" : " (freed)", r.cx.level,
                 r.resumer, show(r.cx.fly).c_str(), r.cx.live_stack, r.live_cap);
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
    std::fprintf(stderr, "[%s%d lvl %u] %c %d %d v=%ld\n", c.self == MAIN ? "main" : "g",
                 c.self == MAIN ? 0 : c.self, F.m.cx(c.self).level, op, a, b, v);
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
    if (info.addr != this) diverge("counted object %u moved from %p to %p", serial, info.addr, static_cast<void*>(this));
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
  } catch (const jmpco::forced_unwind&) {
    return {E_FORCED, 0};
  } catch (const catch_probe& e) {
    diverge("catch_probe #%ld escaped its catch block", e.id);
  } catch (...) {
    diverge("an exception of an unknown type arrived");
  }
}

err describe(const jmpco::error& e) {
  switch (e.code()) {
    case errc::ok: return {};
    case errc::exception: {
      if (!e.exception()) diverge("errc::exception without an exception");
      try {
        std::rethrow_exception(e.exception());
      } catch (...) {
        return describe_current();
      }
    }
    case errc::raised: return describe_raised(e);
    default:
      if (std::strcmp(e.what(), jmpco::message(e.code())) != 0) diverge("misuse error text is not Lua's");
      return {E_MISUSE, static_cast<long>(e.code())};
  }
}

void expect(const char* what, const outcome& want, const outcome& got) {
  if (want.what != got.what || (want.what == outcome::ERROR ? want.e != got.e : want.what == outcome::VALUE && want.v != got.v))
    diverge("%s: the model expects %s, jmpco gave %s", what, show(want).c_str(), show(got).c_str());
}

// ---------------------------------------------------------------------------------------------
// The failing allocator: while armed, every jmpco allocation fails.
void* fuzz_allocate(std::size_t size, void*) {
  if (F.alloc_armed) {
    ++F.alloc_failures;
    return nullptr;
  }
  return std::malloc(size);
}
void fuzz_deallocate(void* block, std::size_t, void*) { std::free(block); }
void arm() {
  F.alloc_armed = true;
  F.alloc_failures = 0;
}
void disarm() { F.alloc_armed = false; }

// ---------------------------------------------------------------------------------------------
// Checks at every operation boundary.
status real_status(const slot_t& s, int g) {
  if (g == NO_HANDLE) return status::dead;
  switch (s.k) {
    case K_CO: return s.co->status();
    case K_WRAP: return s.wr->status();
    case K_GEN: return s.gen->status();
    case K_TUP: return s.tup->status();
  }
  return status::dead;
}

void check_context(const ctx& c) {
  if (F.m.current != c.self) diverge("context %d executes but the model says %d runs", c.self, F.m.current);
  const void* want = c.self == MAIN ? nullptr : F.m.at(c.self).core;
  if (jmpco::this_coroutine::running() != want)
    diverge("this_coroutine::running() is %p, the model says %p", static_cast<void*>(jmpco::this_coroutine::running()), want);
  if (jmpco::this_coroutine::is_yieldable() != (c.self != MAIN)) diverge("is_yieldable() is wrong");
  if (jmpco::coroutine_core::level() != F.m.cx(c.self).level)
    diverge("level() is %u, the model says %u", jmpco::coroutine_core::level(), F.m.cx(c.self).level);
  if (jmpco::coroutine_core::nesting_limit() != F.m.limit) diverge("nesting limit changed");
  if (std::uncaught_exceptions() != 0) diverge("uncaught_exceptions() is %d outside any unwinding", std::uncaught_exceptions());
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

bool is_block(char op) { return std::strchr("pPtgkonwh", op) != nullptr; }
int arg_count(char op) {
  switch (op) {
    case 'c': case 'z': return 3;
    case 'm': case 'h': return 2;
    case 'r': case 'R': case 'u': case 'Y': case 'e': case 'C': case 'd': case 'l': case 's':
    case 'g': case 'n': case 'w': return 1;
    default: return 0;
  }
}

char decode_op(std::uint8_t b) {
  static const char known[] = "czrRuyYvexCdmlspPtgkonwh";
  if (b != 0 && std::strchr(known, static_cast<char>(b)) != nullptr) return static_cast<char>(b);
  // Every other byte is an operation too; resumes and yields come up most often.
  static const char dense[] = "crrRuyyYvexCdmlspPtgkonwcrryh";
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

long run_body(int g, kind k, void* y) {
  ctx c{g, k, y};
  long result;
  {
    counted top(g);
    const int prog = F.m.at(g).prog;
    static const std::vector<node> empty;
    (void)exec_list(prog < 0 ? empty : F.programs[static_cast<std::size_t>(prog)], c);
    result = next_value();
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

// --- create -----------------------------------------------------------------------------------
// Releases the coroutine a handle holds (the caller checked can_drop): a started, suspended one
// is unwound first, then the coroutine object and its captured state are freed.
void drop_handle(slot_t& S, int g, int self) {
  bool unwind = false;
  if (g >= 0) {
    co_rec& r = F.m.at(g);
    if (r.st == status::suspended && r.started) {
      F.m.enter(g, self);
      r.closing = true;
      r.cx.fly = {E_FORCED, 0};
      r.cx.catchable = false;
      unwind = true;
      stat(S_DROP_UNWIND);
    }
  }
  S.clear();
  if (g >= 0) {
    if (unwind) (void)F.m.end_close(g);
    co_rec& r = F.m.at(g);
    r.st = status::dead;
    r.channel = false;
    if (r.live_cap != 0) diverge("g%d's handle is gone but its captured object is alive", g);
  }
}

// Releases what slot s holds (the caller checked can_drop).
void drop_slot(int s, int self) {
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return;
  F.m.slot_gen[s] = NO_HANDLE;
  drop_handle(F.slots[s], g, self);
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
    drop_handle(*h, g, self);
  }
  // Chains made while this ran are still live too (unwinding runs no operations, so none).
  F.anon_live = keep;
}

flow op_create(const node& n, ctx& c, bool oom) {
  const int s = digit(n.a) % kSlots;
  const kind k = static_cast<kind>(digit(n.b) % 4);
  if (F.creations >= kMaxCreations) return flow::next;
  if (!F.m.can_drop(F.m.slot_gen[s], c.self)) return flow::next;
  const int g = static_cast<int>(F.m.co.size());
  note(c, n.op, s, g, k);
  drop_slot(s, c.self);
  ++F.creations;
  F.anon.emplace_back();
  co_rec rec;
  rec.k = k;
  rec.slot = s;
  rec.prog = F.programs.size() > 1 ? 1 + static_cast<int>(digit(n.c) % (F.programs.size() - 1)) : -1;
  F.m.co.push_back(rec);
  slot_t& S = F.slots[s];
  S.k = k;
  if (oom) arm();
  {
    counted cap(kCapBase + g);
    switch (k) {
      case K_CO: S.co = std::make_unique<co_t>(co_body{g, cap}); break;
      case K_WRAP: S.wr = std::make_unique<wrap_t>(jmpco::wrap<co_sig>(co_body{g, cap})); break;
      case K_GEN: S.gen = std::make_unique<gen_t>(gen_body{g, cap}); break;
      case K_TUP: S.tup = std::make_unique<tup_t>(tup_body{g, cap}); break;
    }
  }
  const bool failed = oom && F.alloc_failures > 0;
  disarm();
  co_rec& r = F.m.at(g);
  if ((k == K_CO && !*S.co) != (failed && k == K_CO) || (k == K_TUP && !*S.tup) != (failed && k == K_TUP))
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

// One real resume; raising resumes let the error propagate as an exception.
outcome real_resume(slot_t& S, long v, bool raising) {
  outcome o;
  switch (S.k) {
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
    case K_WRAP: o.v = (*S.wr)(v); break;
    case K_GEN: {
      gen_t& gen = *S.gen;
      // generator::begin() resumes only the first time; afterwards ++ does. The flag is set
      // first: the body may try to resume its own generator from inside begin().
      const bool begun = S.gen_begun;
      S.gen_begun = true;
      gen_t::iterator it = gen.begin();
      if (begun) ++it;
      if (it == nullptr) {
        o.what = outcome::END;
      } else {
        o.v = *it;
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

flow resume_handle(ctx& c, slot_t& S, int g, bool raising_variant, bool oom) {
  const bool raising = raising_variant || S.k == K_WRAP || S.k == K_GEN;
  const long v = next_value();
  const bool was_started = g >= 0 && F.m.at(g).started;
  const pred p = F.m.begin_resume(g, c.self, v);
  if (p.what == P_OK && F.frames_live >= 1000) stat(S_DEEP_RESUME);
  if (p.what == P_END && S.k != K_GEN) diverge("model: END for a non-generator");
  outcome got;
  std::exception_ptr raised;
  if (oom) arm();
  try {
    got = real_resume(S, v, raising);
  } catch (const jmpco::forced_unwind&) {
    diverge("forced_unwind came out of a resume");
  } catch (...) {
    got.what = outcome::ERROR;
    got.e = describe_current();
    raised = std::current_exception();
  }
  const bool failed_alloc = oom && F.alloc_failures > 0;
  disarm();
  if (raised && !raising) diverge("a non-raising resume threw %s", show(got.e).c_str());
  outcome want;
  switch (p.what) {
    case P_MISUSE:
      stat(S_RESUME_MISUSE);
      want.what = outcome::ERROR;
      want.e = {E_MISUSE, static_cast<long>(p.code)};
      break;
    case P_END: want.what = outcome::END; break;
    default:
      if (!F.m.at(g).ran) {
        // The switch needed memory and could not get it: nothing may have changed.
        if (!failed_alloc) diverge("resume of g%d returned without running it (%s)", g, show(got).c_str());
        F.m.revert_resume(g, was_started);
        stat(S_OOM_RESUME);
        want.what = outcome::ERROR;
        want.e = {E_MISUSE, static_cast<long>(errc::out_of_memory)};
      } else {
        want = F.m.end_resume(g);
      }
      break;
  }
  expect("resume", want, got);
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

void forced_arrived(int g) {
  disarm();
  co_rec& r = F.m.at(g);
  if (F.m.current != g || !r.closing || r.cx.fly.kind != E_FORCED)
    diverge("forced_unwind arrived in g%d, which is not being closed", g);
  r.ran = true;
}

// How a yield attempt must end when it cannot suspend.
flow op_yield(const node& n, ctx& c, int how, bool oom) {
  // how: 0 the yielder, 1 try_yield with the body's signature, 2 try_yield<long(long)>
  const long w = next_value();
  note(c, n.op, how, 0, w);
  errc want_refusal = errc::ok;
  if (c.self == MAIN) {
    want_refusal = errc::yield_outside;
  } else if (how == 2 && (c.k == K_GEN || c.k == K_TUP)) {
    want_refusal = errc::type_mismatch;
  }
  if (want_refusal == errc::ok) {
    co_rec& r = F.m.at(c.self);
    r.out = O_YIELD;
    r.outv = w;
  }
  errc refused = errc::ok;
  bool has_value = c.k != K_GEN;
  long received = 0;
  if (oom) arm();
  try {
    if (c.self == MAIN || how == 2) {
      jmpco::result<long> r = jmpco::this_coroutine::try_yield<co_sig>(w);
      if (r.ok()) received = *r; else refused = r.code();
    } else if (c.k == K_GEN) {
      jmpco::result<void> r = how == 0 ? static_cast<jmpco::yielder<long()>*>(c.y)->try_yield(w)
                                       : jmpco::this_coroutine::try_yield<long()>(w);
      if (!r.ok()) refused = r.code();
    } else if (c.k == K_TUP) {
      jmpco::result<std::tuple<long, std::string>> r =
          how == 0 ? static_cast<jmpco::yielder<tup_sig>*>(c.y)->try_yield(w, make_str(w))
                   : jmpco::this_coroutine::try_yield<tup_sig>(w, make_str(w));
      if (r.ok()) {
        received = std::get<0>(*r);
        if (std::get<1>(*r) != make_str(received)) diverge("g%d's yield received a corrupted string", c.self);
      } else {
        refused = r.code();
      }
    } else {
      jmpco::result<long> r = how == 0 ? static_cast<jmpco::yielder<co_sig>*>(c.y)->try_yield(w)
                                       : jmpco::this_coroutine::try_yield<co_sig>(w);
      if (r.ok()) received = *r; else refused = r.code();
    }
  } catch (const jmpco::forced_unwind&) {
    forced_arrived(c.self);
    throw;
  }
  const bool failed_alloc = oom && F.alloc_failures > 0;
  disarm();
  if (want_refusal != errc::ok) {
    if (refused != want_refusal)
      diverge("yield: the model expects refusal '%s', jmpco gave '%s'", jmpco::message(want_refusal), jmpco::message(refused));
    return flow::next;
  }
  if (refused == errc::out_of_memory && failed_alloc) {
    // Its stack could not be saved: it keeps running.
    F.m.at(c.self).out = O_NONE;
    stat(S_OOM_YIELD);
    return flow::next;
  }
  if (refused != errc::ok) diverge("yield refused with '%s'", jmpco::message(refused));
  after_yield(c.self, has_value, received);
  return flow::next;
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

flow op_close(const node& n, ctx& c) {
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return flow::next;
  slot_t& S = F.slots[s];
  if (S.k != K_CO && S.k != K_TUP) return flow::next;  // wraps and generators have no close()
  note(c, 'C', s, g, 0);
  const pred p = F.m.begin_close(g, c.self);
  jmpco::result<void> r = S.k == K_CO ? S.co->close() : S.tup->close();
  const err got = describe(r.error());
  err want;
  switch (p.what) {
    case P_MISUSE: want = {E_MISUSE, static_cast<long>(p.code)}; break;
    case P_IMMEDIATE: want = p.e; break;
    default: want = F.m.end_close(g); break;
  }
  if (got != want) diverge("close: the model expects %s, jmpco gave %s", show(want).c_str(), show(got).c_str());
  return flow::next;
}

flow op_destroy(const node& n, ctx& c) {
  const int s = digit(n.a) % kSlots;
  const int g = F.m.slot_gen[s];
  if (g == NO_HANDLE) return flow::next;
  if (!F.m.can_drop(g, c.self)) return flow::next;
  note(c, 'd', s, g, 0);
  drop_slot(s, c.self);
  return flow::next;
}

flow op_move(const node& n, ctx& c) {
  const int from = digit(n.a) % kSlots;
  const int to = digit(n.b) % kSlots;
  const int g = F.m.slot_gen[from];
  if (from == to || g == NO_HANDLE) return flow::next;
  slot_t& A = F.slots[from];
  if (A.k != K_CO && A.k != K_TUP) return flow::next;
  if (!F.m.can_drop(g, c.self)) return flow::next;  // never move the handle of an active coroutine
  const int old = F.m.slot_gen[to];
  slot_t& B = F.slots[to];
  const bool assign = old != NO_HANDLE && B.k == A.k;
  if (!F.m.can_drop(old, c.self)) return flow::next;
  note(c, 'm', from, to, g);
  if (assign) {
    // Move assignment releases the old coroutine of `to`, exactly as destroying it would.
    bool unwind = false;
    if (old >= 0) {
      co_rec& r = F.m.at(old);
      if (r.st == status::suspended && r.started) {
        F.m.enter(old, c.self);
        r.closing = true;
        r.cx.fly = {E_FORCED, 0};
        r.cx.catchable = false;
        unwind = true;
      }
    }
    if (A.k == K_CO) *B.co = std::move(*A.co); else *B.tup = std::move(*A.tup);
    if (old >= 0) {
      if (unwind) (void)F.m.end_close(old);
      co_rec& r = F.m.at(old);
      r.st = status::dead;
      r.channel = false;
      if (r.live_cap != 0) diverge("g%d's handle was overwritten but its captured object is alive", old);
    }
  } else {
    drop_slot(to, c.self);
    B.k = A.k;
    if (A.k == K_CO) B.co = std::make_unique<co_t>(std::move(*A.co));
    else B.tup = std::make_unique<tup_t>(std::move(*A.tup));
  }
  F.m.slot_gen[to] = g;
  F.m.slot_gen[from] = EMPTY_HANDLE;
  if (g >= 0) F.m.at(g).slot = to;
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
    if (seen != std::to_string(id))
      diverge("inside catch block #%ld std::current_exception() is %s", id, seen.c_str());
    return f;
  }
}

flow op_guard(const node& n, ctx& c) {
  const bool replace = digit(n.a) % 2 == 1;
  const long id = next_err_id();
  try {
    return exec_block(n, c);
  } catch (const jmpco::forced_unwind&) {
    if (c.self == MAIN) diverge("forced_unwind on the main context");
    co_rec& r = F.m.at(c.self);
    if (!r.closing || r.cx.fly.kind != E_FORCED) diverge("a guard of g%d saw an unexpected forced_unwind", c.self);
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
  {
    counted top(g);
    if (left > 0 && F.chain_links < kMaxChainLinks) {
      const int next = make_chain_link(left - 1, *n, raising);
      F.ops += 1;
      (void)resume_handle(c, *F.anon[static_cast<std::size_t>(next)], next, raising, false);
    } else {
      (void)exec_block(*n, c);
    }
    result = next_value();
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
  F.ops += 1 + F.frames_live / 256;
  if (F.ops > kMaxOps) return flow::ret;  // out of budget: every body returns, main stops
  check_context(c);
  switch (n.op) {
    case '[': return exec_list(n.kids, c);
    case 'c': return op_create(n, c, false);
    case 'z': return op_create(n, c, true);
    case 'r': return op_resume(n, c, false, false);
    case 'R': return op_resume(n, c, true, false);
    case 'u': return op_resume(n, c, false, true);
    case 'y': return op_yield(n, c, 0, false);
    case 'v': return op_yield(n, c, 0, true);
    case 'Y': return op_yield(n, c, digit(n.a) % 2 == 0 ? 1 : 2, false);
    case 'e': return op_raise(n, c);
    case 'x': note(c, 'x', 0, 0, 0); return flow::ret;
    case 'C': return op_close(n, c);
    case 'd': return op_destroy(n, c);
    case 'm': return op_move(n, c);
    case 'l': return op_limit(n, c);
    case 's': return op_reserve(n, c);
    case 'p': return protected_block(n, c);
    case 'P': return op_pcall_level(n, c);
    case 't': return op_catch_block(n, c);
    case 'g': return op_guard(n, c);
    case 'k': return op_catch_all(n, c);
    case 'n': return op_recurse(n, c);
    case 'o': return op_object(n, c);
    case 'w': return op_loop(n, c);
    case 'h': return op_chain(n, c);
    default: diverge("unknown operation '%c'", n.op);
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
  for (int s = 0; s < kSlots; ++s) {
    if (!F.m.can_drop(F.m.slot_gen[s], MAIN)) diverge("slot %d cannot be dropped from main", s);
    drop_slot(s, MAIN);
  }
  drop_anon(MAIN);
  if (!F.anon_live.empty()) diverge("chain coroutines cannot be dropped from main");
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
  disarm();
  static jmpco_fuzz::big_stack_worker worker(kWorkerStack);
  worker.run(&run_input, nullptr);
  for (slot_t& s : F.slots) s.clear();
  return 0;
}
