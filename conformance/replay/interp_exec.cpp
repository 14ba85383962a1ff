// SPDX-License-Identifier: MIT
// Statement execution: blocks and their to-be-closed variables, assignments, loops, returns.
#include <exception>

#include "coroutine.hpp"
#include "interp_internal.hpp"

namespace replay {

// ---------------------------------------------------------------------------------------------
// Statements

void Interp::declare_local(const VarInfo* v, Frame& fr, Value value) {
  Value& slot = fr.slots[v->slot];
  if (v->captured) {
    auto* c = new Cell();
    c->value = std::move(value);
    slot = Value::object(c);
  } else {
    slot = std::move(value);
  }
}

Value Interp::read_local(const VarInfo* v, Frame& fr) {
  const Value& slot = fr.slots[v->slot];
  return v->captured ? slot.cell()->value : slot;
}

// Runs a block's statements. A goto aimed at this block continues at its label, closing the
// block's to-be-closed variables declared after the label (their scope is left). `mark` is where
// the block's variables start in fr.tbc.
Flow Interp::exec_statements(const Block& b, Frame& fr, std::size_t mark) {
  const std::size_t n = b.stmts.size();
  for (std::size_t i = 0; i < n;) {
    Flow f = exec(*b.stmts[i], fr);
    if (f == Flow::Normal) {
      ++i;
    } else if (f == Flow::Goto && fr.jump->target_block == b.id) {
      fr.ci->line = fr.jump->close_line;
      close_block(fr, mark + fr.jump->target_closes);
      i = fr.jump->target_index;
    } else {
      return f;
    }
  }
  return Flow::Normal;
}

void Interp::clear_slots(Frame& fr, int first, int end) {
  for (int i = first; i < end; ++i) fr.slots[i] = Value();
}

void Interp::clear_block_slots(const Block& b, Frame& fr) {
  clear_slots(fr, b.first_slot, b.slot_end);
}

Flow Interp::exec_block(const Block& b, Frame& fr) {
  const std::size_t mark = fr.tbc.size();
  if (!b.has_close) {
    const Flow flow = exec_statements(b, fr, mark);
    clear_block_slots(b, fr);
    return flow;
  }
  std::exception_ptr failure;
  Flow flow = Flow::Normal;
  try {
    flow = exec_statements(b, fr, mark);
    if (flow == Flow::Normal) {  // Lua's close instruction (or a function's last return)
      if (tracing())
        trace_point(fr, b.close_line, false, false);
      else
        fr.ci->line = b.close_line;
    }
    if (flow == Flow::Break) fr.ci->line = fr.break_line;
    if (flow == Flow::Goto) fr.ci->line = fr.jump->close_line;
    close_block(fr, mark);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) unwind_block(fr, mark, failure);
  clear_block_slots(b, fr);
  return flow;
}

void Interp::call_close_handler(const Value& v, const Value& err, bool yieldable) {
  if (v.is_false()) return;  // nil and false are accepted and ignored
  Value handler = metamethod(v, "__close");
  Values out;
  LuaThread& t = *cur_;
  NonYieldable guard(t, !yieldable);
  CLevel level(*this);
  call(handler, Values{v, err}, out, metamethod_site("__close"));
}

// A block left normally (or by break/return): close in reverse order, handlers get nil.
void Interp::close_block(Frame& fr, std::size_t mark) {
  while (fr.tbc.size() > mark) {
    Value v = std::move(fr.tbc.back());
    fr.tbc.pop_back();
    call_close_handler(v, Value(), true);
  }
}

// Runs `pending` (innermost first) with `err`; an error in a handler replaces `err`. Lua runs
// these from C (a pcall's recovery, lua_resetthread): no Lua line is current while they start.
const CallInfo kResetStack{};

void Interp::close_pending_with(std::vector<Value>& pending, Value& err, bool& failed,
                                bool yieldable, const CallInfo* recovered_at) {
  CallScope from_c(*cur_, false);
  from_c.ci->levels_continue_at = recovered_at;
  while (!pending.empty()) {
    Value v = std::move(pending.front());
    pending.erase(pending.begin());
    std::exception_ptr closed;
    try {
      call_close_handler(v, err, yieldable);
    } catch (LuaError& e) {
      err = std::move(e.value);
      failed = true;
    } catch (const jmpco::forced_unwind&) {
      closed = std::current_exception();
    }
    if (closed) {
      // coroutine.close found the coroutine suspended in this handler: the variables still
      // pending here belong to that close now (Lua's lua_resetthread closes them all).
      close_for_coroutine_close(pending);
      std::rethrow_exception(closed);
    }
  }
}

void Interp::close_for_coroutine_close(std::vector<Value>& pending) {
  Coroutine* co = cur_obj_->as_coroutine();
  if (co == nullptr || !co->closing || co->discarding) return;
  restart_at_resume_base();
  co->closing_frame_depth = cur_->lua_depth;
  close_pending_with(pending, co->close_error, co->close_failed, false, &kResetStack);
}

// A block left by an exception. Handlers run outside any catch block (they may switch
// coroutines), then the exception goes on.
void Interp::unwind_block(Frame& fr, std::size_t mark, const std::exception_ptr& failure) {
  enum class Kind { Lua, Forced, Exit, Other } kind = Kind::Other;
  Value err;
  try {
    std::rethrow_exception(failure);
  } catch (LuaError& e) {
    kind = Kind::Lua;
    err = e.value;
  } catch (const jmpco::forced_unwind&) {
    kind = Kind::Forced;
  } catch (const Abort& a) {
    kind = a.close_state ? Kind::Exit : Kind::Other;
  } catch (...) {
    kind = Kind::Other;
  }
  std::vector<Value> pending(
      std::make_move_iterator(fr.tbc.rbegin()),
      std::make_move_iterator(fr.tbc.rend() - static_cast<std::ptrdiff_t>(mark)));
  fr.tbc.resize(mark);
  LuaThread& t = *cur_;
  switch (kind) {
    case Kind::Other:
      break;
    case Kind::Forced:
      close_for_coroutine_close(pending);
      break;
    case Kind::Exit:
      if (cur_obj_->as_coroutine() == nullptr) {  // lua_close closes the main thread only
        bool failed = false;
        close_pending_with(pending, library_state_.closing_state_error, failed, false);
      }
      break;
    case Kind::Lua: {
      if (t.prot == nullptr) {
        // Nothing in this coroutine catches the error: it dies, and its variables stay open
        // until coroutine.close (Lua closes them in lua_resetthread, not while unwinding).
        for (Value& v : pending) t.pending_close.push_back(std::move(v));
        break;
      }
      // Lua recovers from the error at the pcall itself (the frames in between are gone), so
      // these handlers may yield exactly when a yield was allowed where the pcall was made.
      const bool yieldable = t.prot->yieldable;
      struct Restore {
        LuaThread& thread;
        int saved;
        ~Restore() { thread.non_yieldable = saved; }
      } restore{t, t.non_yieldable};
      if (yieldable) {
        t.non_yieldable = 0;
        restart_at_resume_base();
      }
      bool failed = false;
      close_pending_with(pending, err, failed, yieldable, t.prot->ci);
      if (failed) throw LuaError{err};
      break;
    }
  }
  std::rethrow_exception(failure);
}

Flow Interp::exec(const Stmt& s, Frame& fr) {
  count_step();
  if (tracing())
    trace_statement(s, fr);
  else
    fr.ci->line = s.line;
  switch (s.kind) {
    case StmtKind::Local:
      return exec_local(static_cast<const LocalStmt&>(s), fr);
    case StmtKind::LocalFunction: {
      const auto& lf = static_cast<const LocalFunctionStmt&>(s);
      declare_local(lf.var, fr, Value());  // the function sees itself
      Value f = eval(*lf.function, fr);
      if (lf.var->captured)
        fr.slots[lf.var->slot].cell()->value = f;
      else
        fr.slots[lf.var->slot] = f;
      return Flow::Normal;
    }
    case StmtKind::Assign:
      return exec_assign(static_cast<const AssignStmt&>(s), fr);
    case StmtKind::Call: {
      Values ignored;
      eval_call(static_cast<const CallExpr&>(*static_cast<const CallStmt&>(s).call), fr, ignored);
      return Flow::Normal;
    }
    case StmtKind::Do:
      return exec_block(static_cast<const DoStmt&>(s).body, fr);
    case StmtKind::While:
      return exec_while(static_cast<const WhileStmt&>(s), fr);
    case StmtKind::Repeat: {
      const auto& loop = static_cast<const WhileStmt&>(s);
      const Flow flow = exec_repeat(loop, fr);
      clear_block_slots(loop.body, fr);
      return flow;
    }
    case StmtKind::If:
      return exec_if(static_cast<const IfStmt&>(s), fr);
    case StmtKind::NumFor: {
      const auto& loop = static_cast<const NumForStmt&>(s);
      const Flow flow = exec_numfor(loop, fr);
      clear_slots(fr, loop.var->slot, loop.body.slot_end);  // the loop's variable is gone
      return flow;
    }
    case StmtKind::GenFor: {
      const auto& loop = static_cast<const GenForStmt&>(s);
      const Flow flow = exec_genfor(loop, fr);
      clear_slots(fr, loop.vars.front()->slot, loop.body.slot_end);  // the loop variables
      return flow;
    }
    case StmtKind::Return:
      return exec_return(static_cast<const ReturnStmt&>(s), fr);
    case StmtKind::Break:
      return Flow::Break;
    case StmtKind::Goto:
      fr.jump = &static_cast<const GotoStmt&>(s);
      return Flow::Goto;
    case StmtKind::Label:
      return Flow::Normal;
  }
  return Flow::Normal;
}

Flow Interp::exec_local(const LocalStmt& s, Frame& fr) {
  Values vals;
  eval_list(s.values, fr, vals);
  for (std::size_t i = 0; i < s.vars.size(); ++i) {
    const VarInfo* v = s.vars[i];
    Value value = i < vals.size() ? vals[i] : Value();
    if (v->attrib == Attrib::Close) {
      fr.ci->line = s.check_line;
      if (!value.is_false() && metamethod(value, "__close").is_nil())
        runtime_error("variable '" + v->name + "' got a non-closable value");
      fr.tbc.push_back(value);
    }
    declare_local(v, fr, std::move(value));
  }
  return Flow::Normal;
}

void Interp::assign(const Expr& target, const Value* obj, const Value* key, Value v, int line,
                    Frame& fr) {
  switch (target.kind) {
    case ExprKind::Local: {
      const VarInfo* var = static_cast<const LocalExpr&>(target).var;
      Value& slot = fr.slots[var->slot];
      if (var->captured)
        slot.cell()->value = std::move(v);
      else
        slot = std::move(v);
      return;
    }
    case ExprKind::Upvalue:
      if (tracing()) trace_point(fr, line, false, false);  // SETUPVAL, on the store line
      fr.closure->upvalues[static_cast<std::size_t>(static_cast<const UpvalueExpr&>(target).index)]
          .cell()
          ->value = std::move(v);
      return;
    case ExprKind::Env:
      fr.closure->env.cell()->value = std::move(v);
      return;
    case ExprKind::Global: {
      Value env = fr.closure->env.cell()->value;  // a metamethod may assign _ENV
      if (tracing())
        trace_point(fr, line, false, false);
      else if (!env.is_table() || !env.table()->meta.is_nil())
        fr.ci->line = line;
      set_index(env, static_cast<const GlobalExpr&>(target).name, std::move(v), &kChunkEnv);
      return;
    }
    case ExprKind::Index:
      at_line(fr, line);
      set_index(*obj, *key, std::move(v), static_cast<const IndexExpr&>(target).object.get());
      return;
    default:
      return;
  }
}

namespace {
// A function statement's store has its `function` line (luaK_fixline in funcstat).
int single_store_line(const AssignStmt& s) {
  return s.definition_line != 0 ? s.definition_line : s.store_line;
}
}  // namespace

Flow Interp::exec_assign(const AssignStmt& s, Frame& fr) {
  if (s.targets.size() == 1 && s.values.size() == 1) {
    const Expr& t = *s.targets[0];
    if (t.kind == ExprKind::Index) {
      const auto& ix = static_cast<const IndexExpr&>(t);
      Value obj = eval(*ix.object, fr);
      Value key = eval(*ix.key, fr);
      Value v = eval(*s.values[0], fr);
      if (s.definition_line != 0 && tracing()) trace_point(fr, s.definition_line, false, false);
      assign(t, &obj, &key, std::move(v), single_store_line(s), fr);
    } else {
      Value v = eval(*s.values[0], fr);
      if (s.definition_line != 0 && tracing()) trace_point(fr, s.definition_line, false, false);
      assign(t, nullptr, nullptr, std::move(v), single_store_line(s), fr);
    }
    return Flow::Normal;
  }
  // Lua evaluates the tables and keys of the targets left to right, then the values, then
  // stores from the last target to the first.
  std::vector<Value> objs(s.targets.size()), keys(s.targets.size());
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const Expr& t = *s.targets[i];
    if (t.kind == ExprKind::Index) {
      const auto& ix = static_cast<const IndexExpr&>(t);
      objs[i] = eval(*ix.object, fr);
      keys[i] = eval(*ix.key, fr);
    }
  }
  Values vals;
  eval_list(s.values, fr, vals);
  for (std::size_t i = s.targets.size(); i-- > 0;) {
    fr.ci->line = s.store_line;
    assign(*s.targets[i], &objs[i], &keys[i], i < vals.size() ? vals[i] : Value(), s.store_line,
           fr);
  }
  return Flow::Normal;
}

namespace {
// Makes `line` the line a `break` reports while closing variables, inside one loop.
struct LoopBreakLine {
  LoopBreakLine(Frame& f, int line) : fr(f), saved(f.break_line) { fr.break_line = line; }
  ~LoopBreakLine() { fr.break_line = saved; }
  Frame& fr;
  int saved;
};
}  // namespace

Flow Interp::exec_if(const IfStmt& s, Frame& fr) {
  for (std::size_t i = 0; i < s.conds.size(); ++i) {
    if (i > 0 && tracing()) trace_point(fr, s.conds[i]->line, true, false);  // an elseif's test
    if (eval(*s.conds[i], fr).truthy()) return exec_block(s.blocks[i], fr);
  }
  if (s.has_else) return exec_block(s.else_block, fr);
  return Flow::Normal;
}

Flow Interp::exec_while(const WhileStmt& s, Frame& fr) {
  LoopBreakLine break_line(fr, s.break_line);
  for (bool first = true;; first = false) {
    count_step();
    if (tracing())
      trace_point(fr, s.line, !first, !first);  // the first test is the statement's own step
    else
      fr.ci->line = s.line;
    if (!eval(*s.cond, fr).truthy()) return Flow::Normal;
    Flow f = exec_block(s.body, fr);
    if (f == Flow::Break) return Flow::Normal;
    if (f != Flow::Normal) return f;  // return, or a goto out of the loop
  }
}

Flow Interp::exec_repeat(const WhileStmt& s, Frame& fr) {
  LoopBreakLine break_line(fr, s.break_line);
  for (bool first = true;; first = false) {
    if (!first) jump_back(fr);
    // The condition is evaluated inside the body's scope, before its variables are closed.
    const std::size_t mark = fr.tbc.size();
    std::exception_ptr failure;
    Flow flow = Flow::Normal;
    bool done = false;
    try {
      count_step();
      flow = exec_statements(s.body, fr, mark);
      if (flow == Flow::Normal && tracing()) trace_point(fr, s.break_line, true, false);
      if (flow == Flow::Normal) done = eval(*s.cond, fr).truthy();
      if (flow == Flow::Normal || flow == Flow::Break) fr.ci->line = s.body.close_line;
      if (s.body.has_close) close_block(fr, mark);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      if (s.body.has_close) unwind_block(fr, mark, failure);
      std::rethrow_exception(failure);
    }
    if (flow == Flow::Break) return Flow::Normal;
    if (flow != Flow::Normal) return flow;
    if (done) return Flow::Normal;
  }
}

namespace {
[[noreturn]] void for_error(Interp& in, const Value& v, const char* what) {
  in.runtime_error(std::string("bad 'for' ") + what + " (number expected, got " +
                   in.obj_type_name(v) + ")");
}
}  // namespace

// Lua's forprep for an integer loop: the limit is clipped to an integer (a float limit out of
// range decides at once whether the loop runs), then the iteration count is computed up front
// so that the control variable never overflows. Returns false when the loop does not run.
bool Interp::integer_for_count(std::int64_t init, const Value& limit, std::int64_t step,
                               std::uint64_t& count) {
  std::int64_t lim = 0;
  Value n;
  if (!to_number(limit, n)) for_error(*this, limit, "limit");
  if (n.is_int()) {
    lim = n.as_int();
  } else {
    const double fl = n.as_float();
    const bool in_range = step < 0 ? float_to_int_ceil(fl, lim) : float_to_int_floor(fl, lim);
    if (!in_range) {
      if (fl > 0 ? step < 0 : step > 0) return false;  // NaN lands here too
      lim = fl > 0 ? INT64_MAX : INT64_MIN;
    }
  }
  if (step > 0 ? init > lim : init < lim) return false;
  const auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v); };
  count = step > 0 ? (u(lim) - u(init)) / u(step) : (u(init) - u(lim)) / (u(-(step + 1)) + 1u);
  return true;
}

// `another`: whether FORLOOP will jump back for one more iteration; after the last it falls
// through, and code after the loop on the `for` line gets no line event.
Flow Interp::run_for_body(const NumForStmt& s, Frame& fr, Value control, bool another, bool& stop) {
  count_step();
  declare_local(s.var, fr, std::move(control));
  Flow f = exec_block(s.body, fr);
  stop = f != Flow::Normal;
  if (!stop && tracing()) {  // FORLOOP, on the `for` line
    trace_point(fr, s.line, true, false);
    if (another) jump_back(fr);
  }
  return f == Flow::Break ? Flow::Normal : f;
}

Flow Interp::exec_numfor(const NumForStmt& s, Frame& fr) {
  Value start = eval(*s.start, fr);
  Value limit = eval(*s.limit, fr);
  Value step = s.step ? eval(*s.step, fr) : Value::integer(1);
  fr.ci->line = s.prep_line;
  LoopBreakLine break_line(fr, s.break_line);
  bool stop = false;
  if (start.is_int() && step.is_int()) {
    const std::int64_t st = step.as_int();
    if (st == 0) runtime_error("'for' step is zero");
    std::uint64_t count = 0;
    if (!integer_for_count(start.as_int(), limit, st, count)) return Flow::Normal;
    for (std::int64_t i = start.as_int();;
         i = static_cast<std::int64_t>(static_cast<std::uint64_t>(i) +
                                       static_cast<std::uint64_t>(st))) {
      Flow f = run_for_body(s, fr, Value::integer(i), count != 0, stop);
      if (stop || count-- == 0) return f;
    }
  }
  // A float loop; Lua checks the limit, then the step, then the initial value.
  Value flim, fstep, finit;
  if (!to_number(limit, flim)) for_error(*this, limit, "limit");
  if (!to_number(step, fstep)) for_error(*this, step, "step");
  if (!to_number(start, finit)) for_error(*this, start, "initial value");
  const double l = flim.as_number(), st = fstep.as_number();
  if (st == 0) runtime_error("'for' step is zero");
  for (double i = finit.as_number(); st > 0 ? i <= l : i >= l; i += st) {
    const double next = i + st;
    Flow f = run_for_body(s, fr, Value::number(i), st > 0 ? next <= l : next >= l, stop);
    if (stop) return f;
  }
  return Flow::Normal;
}

Flow Interp::exec_genfor(const GenForStmt& s, Frame& fr) {
  Values init;
  eval_list(s.exprs, fr, init);
  init.resize(4);
  Value f = init[0], state = init[1], control = init[2], closing = init[3];
  const std::size_t mark = fr.tbc.size();
  const bool has_closing = !closing.is_false();
  if (has_closing) {
    fr.ci->line = s.prep_line;
    if (metamethod(closing, "__close").is_nil())
      runtime_error("variable '(for state)' got a non-closable value");
    fr.tbc.push_back(closing);
  }
  static const CallSiteName kIteratorSite{"for iterator", "for iterator"};
  LoopBreakLine break_line(fr, s.break_line);
  std::exception_ptr failure;
  Flow result = Flow::Normal;
  try {
    for (;;) {
      count_step();
      Values r;
      if (tracing()) trace_point(fr, s.line, true, false);  // TFORCALL, on the `for` line
      fr.ci->line = s.call_line;
      {
        CLevel level(*this);  // the iterator is called from the VM like from C (luaD_call)
        call(f, Values{state, control}, r, &kIteratorSite);
      }
      if (r.empty() || r[0].is_nil()) break;
      control = r[0];
      for (std::size_t i = 0; i < s.vars.size(); ++i)
        declare_local(s.vars[i], fr, i < r.size() ? r[i] : Value());
      jump_back(fr);  // TFORLOOP jumps back to the body
      Flow fl = exec_block(s.body, fr);
      if (fl == Flow::Break) break;
      if (fl != Flow::Normal) {  // return, or a goto out of the loop
        result = fl;
        break;
      }
    }
    if (result == Flow::Normal) {  // the loop's close instruction, on its `end` line
      if (tracing()) trace_point(fr, s.break_line, true, false);
      fr.ci->line = s.break_line;
    }
    if (has_closing) close_block(fr, mark);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    if (has_closing) unwind_block(fr, mark, failure);
    std::rethrow_exception(failure);
  }
  return result;
}

Flow Interp::exec_return(const ReturnStmt& s, Frame& fr) {
  if (s.tail_call) {
    const auto& c = static_cast<const CallExpr&>(*s.values[0]);
    Value fn;
    Values args;
    prepare_call(c, fr, fn, args);
    at_line(fr, c.line);
    if (fn.is_function() && fn.func()->is_lua()) {
      fr.tail = true;
      fr.tail_fn = std::move(fn);
      fr.tail_args = std::move(args);
      fr.tail_site = &c.site;
      return Flow::Return;
    }
    fr.results.clear();
    call(fn, std::move(args), fr.results, &c.site,
         c.kind == ExprKind::Method ? static_cast<const Expr*>(&c) : c.function.get());
    return Flow::Return;
  }
  fr.results.clear();
  eval_list(s.values, fr, fr.results);
  at_line(fr, s.close_line);  // the return instruction
  return Flow::Return;
}

}  // namespace replay
