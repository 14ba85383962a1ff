// SPDX-License-Identifier: MIT
// debug.sethook's hooks, as ldo.c (luaD_hook, luaD_hookcall, rethook) and ldebug.c
// (luaG_traceexec) run them. The replay has no instructions: a count event comes every `count`
// statements and loop steps, and a line event when a point of code whose Lua instruction would
// carry a line of its own (a statement, a loop's test, a call, a closure, a store, a return) is
// on another line than the code before it, or a loop jumped back.
#include "interp_internal.hpp"

namespace replay {

const CallSiteName kHookSite{"?", "hook"};

namespace {

// No line is current: the next line reached is reported (Lua's oldpc at a function's start).
constexpr int kNoLine = -1;

// Whether the first instruction Lua's code for `e` has makes a closure (a function literal,
// maybe called or indexed).
bool starts_with_closure(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Function:
      return true;
    case ExprKind::Paren:
      return starts_with_closure(*static_cast<const ParenExpr&>(e).inner);
    case ExprKind::Call:
    case ExprKind::Method:
      return starts_with_closure(*static_cast<const CallExpr&>(e).function);
    case ExprKind::Index:
      return starts_with_closure(*static_cast<const IndexExpr&>(e).object);
    default:
      return false;
  }
}

// The line of the first instruction Lua's code for `s` has, or 0 when the statement starts
// with none of its own (a `do` or `repeat`, a label) or with a closure, whose instruction has the
// line of the function's `end` (reported when the closure is made); a 0 line counts a step only.
int entry_line(const Stmt& s) {
  auto first_is_closure = [](const std::vector<ExprPtr>& values) {
    return !values.empty() && starts_with_closure(*values[0]);
  };
  switch (s.kind) {
    case StmtKind::Do:
    case StmtKind::Repeat:
    case StmtKind::Label:
    case StmtKind::LocalFunction:
      return 0;
    case StmtKind::Local:
      return first_is_closure(static_cast<const LocalStmt&>(s).values) ? 0 : s.line;
    case StmtKind::Return:
      return first_is_closure(static_cast<const ReturnStmt&>(s).values) ? 0 : s.line;
    case StmtKind::Call:
      return starts_with_closure(*static_cast<const CallStmt&>(s).call) ? 0 : s.line;
    case StmtKind::Assign: {
      const auto& a = static_cast<const AssignStmt&>(s);
      const bool plain_target = a.targets.size() == 1 && a.targets[0]->kind != ExprKind::Index;
      return plain_target && first_is_closure(a.values) ? 0 : s.line;
    }
    default:
      return s.line;
  }
}

// Where a call hook sees a Lua function: at its first instruction (after VARARGPREP in a vararg
// function, whose call hook comes when that has run).
int first_instruction_line(const Proto& p) {
  if (p.body.stmts.empty()) return p.body.close_line;
  const Stmt& first = *p.body.stmts.front();
  const int line = entry_line(first);
  return line != 0 ? line : first.line;
}

}  // namespace

void Interp::run_hook(const char* event, int line) {
  LuaThread& t = *cur_;
  if (!t.hook.allowed || t.hook.fn.is_nil()) return;
  struct Disallow {  // hooks are off inside the hook; back on however it ends
    HookState& hook;
    explicit Disallow(HookState& h) : hook(h) { hook.allowed = false; }
    ~Disallow() { hook.allowed = true; }
  } disallow(t.hook);
  const Value fn = t.hook.fn;  // the hook may replace its own entry
  Values args{Value::string(event), line >= 0 ? Value::integer(line) : Value()};
  Values out;
  call_from_native(fn, std::move(args), out, false, &kHookSite);
}

void Interp::trace_point(Frame& fr, int line, bool counts, bool jumped_back) {
  HookState& h = cur_->hook;
  // A stripped function has no line information: Lua's changedline() is false there, so a line
  // event comes only where the function starts or jumped back (or after a count hook), with a
  // nil line.
  const bool stripped = fr.ci->fn != nullptr && fr.ci->fn->stripped;
  bool report_line =
      line != 0 && (jumped_back || fr.ci->line == kNoLine || (!stripped && fr.ci->line != line));
  if (line != 0) fr.ci->line = line;
  if (counts && (h.mask & HookState::kCount) != 0 && --h.count == 0) {
    h.count = h.base_count;
    run_hook("count", -1);
    report_line = line != 0;  // the hook's return moved Lua's oldpc onto this instruction
  }
  if (report_line && (h.mask & HookState::kLine) != 0) run_hook("line", stripped ? -1 : line);
}

void Interp::trace_statement(const Stmt& s, Frame& fr) {
  trace_point(fr, entry_line(s), true, false);
}

void Interp::jump_back(Frame& fr) {
  if ((cur_->hook.mask & HookState::kLine) != 0) fr.ci->line = kNoLine;
}

void Interp::hook_lua_call(Frame& fr, bool is_tail) {
  fr.ci->line = first_instruction_line(*fr.ci->proto);
  if ((cur_->hook.mask & HookState::kCall) != 0) run_hook(is_tail ? "tail call" : "call", -1);
  if (tracing()) fr.ci->line = kNoLine;  // the first line reached is reported
}

void Interp::hook_lua_return(Frame& fr, Flow flow) {
  // Falling off the end runs the `end`'s return instruction.
  if (flow == Flow::Normal && tracing())
    trace_point(fr, fr.ci->proto->body.close_line, true, false);
  if ((cur_->hook.mask & HookState::kReturn) != 0) run_hook("return", -1);
}

}  // namespace replay
