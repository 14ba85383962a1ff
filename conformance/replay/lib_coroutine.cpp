// SPDX-License-Identifier: MIT
// The coroutine library on jmpco: create, resume, yield, status, wrap, isyieldable, running,
// close, with Lua 5.4.4's results and messages.
#include "coroutine.hpp"
#include "interp_internal.hpp"
#include "libutil.hpp"

namespace replay {

Coroutine::Coroutine(Interp& in, Value b) : interp(in), body(std::move(b)) {}

void Coroutine::run() {
  try {
    // lua_resume has already counted this level (resume_core starts the coroutine one level
    // above its resumer); calling the body only checks it, as Lua's ccall with no increment.
    if (jmpco::coroutine_core::level() >= kMaxCCalls)
      interp.runtime_error(jmpco::message(jmpco::errc::c_stack_overflow));
    Values out;
    interp.call(body, std::move(transfer), out);
    transfer = std::move(out);
  } catch (LuaError& e) {
    errored = true;
    error_value = std::move(e.value);
    transfer.clear();
  }
}

void Coroutine::destroy() noexcept { delete this; }

void Coroutine::dispose() noexcept {
  Heap* heap = Heap::current();
  const bool has_stack = holds_stack();
  if (has_stack && heap != nullptr && !heap->breaking()) {
    // Unwinding it switches into it: the interpreter does that at a safe point.
    heap->orphaned_threads.push_back(this);
    return;
  }
  if (has_stack)
    interp.release_coroutine(this);
  else
    let_go();
}

void Coroutine::raise_while_closing(Value& v, const ProtFrame* prot) {
  if (!closing || pcalls_while_closing != 0) return;
  // The handler in force is the one of the innermost protected call active at the yield, none
  // if that was a pcall.
  if (stale_handler.is_nil()) throw LuaError{std::move(v)};
  if (prot == yield_prot) return;
  if (closing_frame_depth == yield_handler_depth)
    throw LuaError{Value::string("error in error handling")};
  throw LuaError{interp.apply_message_handler(stale_handler, std::move(v))};
}

void Coroutine::drop_references() noexcept {
  if (started() && status() == jmpco::status::suspended) interp.unwind_discarding(this);
  body = Value();
  transfer.clear();
  error_value = Value();
  close_error = Value();
  stale_handler = Value();
  yield_handler = Value();
  state.pending_close.clear();
  state.hook.fn = Value();
}

void Coroutine::visit_references(RefVisitor& v) const {
  ThreadObj::visit_references(v);
  for (const Value* x : {&body, &error_value, &close_error, &stale_handler, &yield_handler})
    v.visit(*x);
  for (const Value& x : transfer) v.visit(x);
}

namespace {

// Makes `t` the thread Lua code sees as running, for the lifetime of the guard.
struct ThreadSwitch {
  ThreadSwitch(Interp& i, ThreadObj* t) : in(i), before(i.current_thread()) {
    in.switch_to_thread(t);
  }
  ~ThreadSwitch() { in.switch_to_thread(before); }
  Interp& in;
  ThreadObj* before;
};

}  // namespace

void Interp::release_coroutine(Coroutine* co) noexcept {
  co->discarding = true;
  ThreadSwitch to(*this, co);
  ++co->state.epoch;
  co->let_go();
}

void Interp::unwind_discarding(Coroutine* co) noexcept {
  co->discarding = true;
  ThreadSwitch to(*this, co);
  ++co->state.epoch;
  (void)co->unwind();
}

bool resume_coroutine(Interp& in, Coroutine* co, Values args, Values& out) {
  if (co->status() == jmpco::status::dead) {
    out.push_back(Value::string(jmpco::message(jmpco::errc::dead_coroutine)));
    return false;
  }
  if (co->status() != jmpco::status::suspended || co == in.current_thread()) {
    out.push_back(Value::string(jmpco::message(jmpco::errc::non_suspended)));
    return false;
  }
  // Lua's lua_resume refuses before starting anything when the resumer is at the limit.
  if (jmpco::coroutine_core::level() >= kMaxCCalls) {
    out.push_back(Value::string(jmpco::message(jmpco::errc::c_stack_overflow)));
    return false;
  }
  Value keep = Value::object(co);
  co->transfer = std::move(args);
  co->state.resume_base = jmpco::coroutine_core::level() + 1;  // what enter() starts it at
  jmpco::errc rc;
  {
    ThreadSwitch to(in, co);
    ++co->state.epoch;
    rc = co->enter();
  }
  switch (rc) {
    case jmpco::errc::ok:
      if (co->status() == jmpco::status::dead && co->errored) {
        out.push_back(co->error_value);
        return false;
      }
      out = std::move(co->transfer);
      co->transfer.clear();
      return true;
    case jmpco::errc::exception:
      std::rethrow_exception(co->death().exception());
    default:
      out.push_back(Value::string(jmpco::message(rc)));
      return false;
  }
}

bool close_dead_coroutine(Interp& in, Coroutine* co, Value& err) {
  if (!co->errored) return true;
  err = co->error_value;
  co->errored = false;
  co->error_value = Value();
  std::vector<Value> pending = std::move(co->state.pending_close);
  co->state.pending_close.clear();
  if (!pending.empty()) {
    // Lua closes them on the dead coroutine: it is the running one while its handlers run, at
    // its own C level (lua_resetthread in 5.4.4 does not take the caller's).
    ThreadSwitch to(in, co);
    CLevelAt at_own_level(co->state.resume_base);
    co->closing = true;
    bool failed = false;
    try {
      in.close_pending_with(pending, err, failed, false, &kResetStack);
    } catch (...) {
      co->closing = false;
      throw;
    }
    co->closing = false;
  }
  return false;
}

namespace {

ThreadObj* check_thread(Interp& in, CallArgs& a, std::size_t i) {
  if (!a[i].is_thread())
    in.type_error_arg(static_cast<int>(i) + 1, "thread", arg_missing(a, i) ? nullptr : &a[i]);
  return a[i].thread();
}

// Lua's status of `t`, seen from the running thread.
jmpco::status status_of(Interp& in, ThreadObj* t) {
  if (t == in.current_thread()) return jmpco::status::running;
  Coroutine* co = t->as_coroutine();
  if (co == nullptr) return jmpco::status::normal;  // the main thread, seen from a coroutine
  switch (co->status()) {
    case jmpco::status::suspended:
    case jmpco::status::dead:
      return co->status();
    default:
      return jmpco::status::normal;
  }
}

Value new_coroutine(Interp& in, CallArgs& a) {
  if (!a[0].is_function()) in.type_error_arg(1, "function", arg_missing(a, 0) ? nullptr : &a[0]);
  in.release_orphans();
  auto* co = new Coroutine(in, a[0]);
  Value v = Value::object(co);
  // lua_newthread copies the creator's hook mask and count, not its function.
  const HookState& creator = in.thread_state().hook;
  co->state.hook.mask = creator.mask;
  co->state.hook.base_count = creator.base_count;
  co->state.hook.count = creator.base_count;
  return v;
}

void coroutine_create(Interp& in, CallArgs& a) { a.results.push_back(new_coroutine(in, a)); }

void coroutine_resume(Interp& in, CallArgs& a) {
  ThreadObj* t = check_thread(in, a, 0);
  Coroutine* co = t->as_coroutine();
  Values out;
  bool ok = false;
  if (co == nullptr) {
    out.push_back(Value::string(jmpco::message(jmpco::errc::non_suspended)));
  } else {
    Values args(a.args.begin() + 1, a.args.end());
    ok = resume_coroutine(in, co, std::move(args), out);
  }
  a.results.push_back(Value::boolean(ok));
  for (Value& v : out) a.results.push_back(std::move(v));
}

void coroutine_yield(Interp& in, CallArgs& a) {
  Coroutine* co = in.current_thread()->as_coroutine();
  if (co == nullptr) in.runtime_error(jmpco::message(jmpco::errc::yield_outside));
  if (co->closing || in.thread_state().non_yieldable > 0 || co != jmpco::coroutine_core::running())
    in.runtime_error(jmpco::message(jmpco::errc::yield_while_closing));
  co->transfer = std::move(a.args);
  const LuaThread& thread = in.thread_state();
  co->yield_prot = thread.prot;
  co->yield_handler = thread.prot != nullptr ? thread.prot->handler : Value();
  co->yield_handler_depth = thread.prot != nullptr ? thread.prot->lua_depth : 0;
  if (Coroutine::leave() != jmpco::errc::ok) in.runtime_error("not enough memory");
  // Resumed: the resumer has made this thread current again and left its arguments.
  a.results = std::move(co->transfer);
  co->transfer.clear();
}

void coroutine_status(Interp& in, CallArgs& a) {
  a.results.push_back(Value::string(jmpco::to_string(status_of(in, check_thread(in, a, 0)))));
}

void coroutine_running(Interp& in, CallArgs& a) {
  ThreadObj* t = in.current_thread();
  a.results.push_back(Value::object(t));
  a.results.push_back(Value::boolean(t->as_coroutine() == nullptr));
}

void coroutine_isyieldable(Interp& in, CallArgs& a) {
  ThreadObj* t = a.size() == 0 ? in.current_thread() : check_thread(in, a, 0);
  Coroutine* co = t->as_coroutine();
  a.results.push_back(Value::boolean(co != nullptr && !co->closing && t->state.non_yieldable == 0));
}

void wrap_call(Interp& in, CallArgs& a) {
  Value thread = a.self->upvalues[0];
  Coroutine* co = thread.thread()->as_coroutine();
  Values out;
  if (resume_coroutine(in, co, std::move(a.args), out)) {
    a.results = std::move(out);
    return;
  }
  Value err = out.empty() ? Value() : out[0];
  // A coroutine that died by error is reset at once: its pending __close handlers run now.
  if (co->status() == jmpco::status::dead && co->errored) close_dead_coroutine(in, co, err);
  if (err.is_string()) err = Value::string(in.where(1) + err.str());
  in.raise(err);
}

void coroutine_wrap(Interp& in, CallArgs& a) {
  Value co = new_coroutine(in, a);
  Value f = in.make_native(wrap_call, "wrap");
  f.func()->upvalues.push_back(co);
  a.results.push_back(f);
}

void coroutine_close(Interp& in, CallArgs& a) {
  ThreadObj* t = check_thread(in, a, 0);
  const jmpco::status status = status_of(in, t);
  if (status == jmpco::status::running) in.lib_error(jmpco::message(jmpco::errc::close_running));
  if (status == jmpco::status::normal) in.lib_error(jmpco::message(jmpco::errc::close_normal));
  Coroutine* co = t->as_coroutine();
  Value keep = a[0];
  if (status == jmpco::status::dead) {
    Value err;
    if (close_dead_coroutine(in, co, err)) {
      a.results.push_back(Value::boolean(true));
    } else {
      a.results.push_back(Value::boolean(false));
      a.results.push_back(err);
    }
    return;
  }
  if (!co->started()) {
    (void)co->unwind();
    a.results.push_back(Value::boolean(true));
    return;
  }
  co->closing = true;
  co->close_error = Value();
  co->close_failed = false;
  co->stale_handler = co->yield_handler;
  jmpco::error e;
  {
    ThreadSwitch to(in, co);
    ++co->state.epoch;
    e = co->unwind();
  }
  co->closing = false;
  co->stale_handler = Value();
  if (e.code() == jmpco::errc::exception) std::rethrow_exception(e.exception());
  if (e.is_misuse()) {
    a.results.push_back(Value::boolean(false));
    a.results.push_back(Value::string(e.what()));
    return;
  }
  a.results.push_back(Value::boolean(!co->close_failed));
  if (co->close_failed) a.results.push_back(co->close_error);
  co->close_error = Value();
  co->close_failed = false;
}

}  // namespace

void open_coroutine(Interp& in) {
  auto* t = new Table();
  in.globals()->set(Value::string("coroutine"), Value::object(t));
  in.register_native(t, "create", coroutine_create, "coroutine.create");
  in.register_native(t, "resume", coroutine_resume, "coroutine.resume");
  in.register_native(t, "yield", coroutine_yield, "coroutine.yield");
  in.register_native(t, "status", coroutine_status, "coroutine.status");
  in.register_native(t, "running", coroutine_running, "coroutine.running");
  in.register_native(t, "isyieldable", coroutine_isyieldable, "coroutine.isyieldable");
  in.register_native(t, "wrap", coroutine_wrap, "coroutine.wrap");
  in.register_native(t, "close", coroutine_close, "coroutine.close");
}

}  // namespace replay
