// SPDX-License-Identifier: MIT
// Pieces shared by the interpreter's source files (not part of its interface).
#ifndef JMPCO_REPLAY_INTERP_INTERNAL_HPP
#define JMPCO_REPLAY_INTERP_INTERNAL_HPP

#include <cassert>
#include <string>
#include <vector>

#include "interp.hpp"
#include "jmpco/core.hpp"

namespace replay {

// The chunk's _ENV upvalue, for messages about the globals read or written through it.
extern const EnvExpr kChunkEnv;

// The frame of one Lua function activation.
struct Frame {
  Value* slots;
  Function* closure;
  Values* varargs;
  CallInfo* ci;
  Values results;
  std::vector<Value> tbc;  // values of active to-be-closed variables, in declaration order
  bool tail = false;       // `return f(...)` asked for a tail call
  Value tail_fn;
  Values tail_args;
  const CallSiteName* tail_site = nullptr;
  const GotoStmt* jump = nullptr;  // the goto being followed (Flow::Goto)
  int break_line = 0;              // the innermost loop's break_line
};

// How Lua names a function a hook runs (funcnamefromcall of a CIST_HOOKED call): "hook '?'".
extern const CallSiteName kHookSite;

inline void Interp::at_line(Frame& fr, int line) {
  if ((cur_->hook.mask & HookState::kLine) != 0)
    trace_point(fr, line, false, false);
  else
    fr.ci->line = line;
}

// Where the levels end while lua_resetthread closes a coroutine's variables (coroutine.close):
// Lua has already unwound the coroutine's calls, so a handler sees no caller.
extern const CallInfo kResetStack;

// Pushes a CallInfo on a thread for the duration of a call (one without a function: a stretch
// run from C, such as closing variables from a pcall's recovery).
struct CallScope {
  CallScope(LuaThread& t, bool lua) : thread(t), is_lua(lua) {
    t.call_stack.emplace_back();
    ci = &t.call_stack.back();
    ci->prev = t.ci;
    t.ci = ci;
    if (is_lua) ++t.lua_depth;
  }
  ~CallScope() {
    assert(thread.ci == ci && &thread.call_stack.back() == ci);
    thread.ci = ci->prev;
    thread.call_stack.pop_back();
    if (is_lua) --thread.lua_depth;
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  LuaThread& thread;
  CallInfo* ci;
  bool is_lua;
};

// One call from C back into Lua (pcall, metamethods, __close, the generic for's iterator): one
// more C level for the duration of the call. A level entered before the coroutine yielded is not
// left after it is resumed: Lua restarts a resumed coroutine at its resumer's level + 1.
struct CLevel {
  explicit CLevel(Interp& i) : in(i), thread(&i.thread_state()), epoch(i.thread_state().epoch) {
    in.enter_c_level();
  }
  ~CLevel() {
    if (thread->epoch == epoch) jmpco::coroutine_core::leave_level();
  }
  Interp& in;
  LuaThread* thread;
  unsigned epoch;
};

// Moves the running jmpco context's nesting level to `target` (at most the nesting limit).
inline void move_c_level_to(unsigned target) noexcept {
  while (jmpco::coroutine_core::level() > target) jmpco::coroutine_core::leave_level();
  while (jmpco::coroutine_core::level() < target)
    if (jmpco::coroutine_core::enter_level() != jmpco::errc::ok) return;
}

// Runs at C level `target` for its lifetime, then goes back to the level it found.
struct CLevelAt {
  explicit CLevelAt(unsigned target) { move_c_level_to(target); }
  CLevelAt(const CLevelAt&) = delete;
  CLevelAt& operator=(const CLevelAt&) = delete;
  ~CLevelAt() { move_c_level_to(saved); }
  unsigned saved = jmpco::coroutine_core::level();
};

// A call that Lua makes without a continuation (message handlers, __close while unwinding,
// __tostring from tostring): a yield inside it fails with "attempt to yield across a C-call
// boundary".
struct NonYieldable {
  NonYieldable(LuaThread& t, bool active) : thread(t), on(active) {
    if (on) ++thread.non_yieldable;
  }
  ~NonYieldable() {
    if (on) --thread.non_yieldable;
  }
  LuaThread& thread;
  bool on;
};

// " (local 'x')", as Lua's varinfo appends it to a message.
inline std::string quoted(const std::string& kind, const std::string& name) {
  return " (" + kind + " '" + name + "')";
}

}  // namespace replay

#endif  // JMPCO_REPLAY_INTERP_INTERNAL_HPP
