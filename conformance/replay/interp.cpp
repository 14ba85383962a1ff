// SPDX-License-Identifier: MIT
#include "interp.hpp"

#include <cassert>
#include <cstdio>
#include <cstring>
#include <exception>

#include "coroutine.hpp"
#include "interp_internal.hpp"
#include "jmpco/core.hpp"
#include "lexer.hpp"
#include "parser.hpp"

namespace replay {

namespace {

const Value& nil_value() {
  static const Value nil;
  return nil;
}

// Locals of one activation: a few inline, more on the heap.
class SlotArray {
 public:
  explicit SlotArray(int n) {
    if (n > kInline) {
      heap_.resize(static_cast<std::size_t>(n));
      data_ = heap_.data();
    } else {
      data_ = inline_;
    }
  }
  Value* data() { return data_; }

 private:
  static constexpr int kInline = 8;
  Value inline_[kInline];
  std::vector<Value> heap_;
  Value* data_;
};

}  // namespace

const Value& CallArgs::operator[](std::size_t i) const {
  return i < args.size() ? args[i] : nil_value();
}

// ---------------------------------------------------------------------------------------------
// Setup and the main chunk

const EnvExpr kChunkEnv(0);

Interp::Interp(std::string_view chunkname, std::ostream& out, const options& opts)
    : script_name_(chunkname), out_(out), opts_(opts) {
  Heap::set_current(&heap_);
  globals_ = Value::object(new Table());
  main_thread_ = Value::object(new ThreadObj());
  cur_obj_ = main_thread_.thread();
  cur_ = &cur_obj_->state;
  open_base(*this);
  open_string(*this);
  open_table(*this);
  open_math(*this);
  open_io(*this);
  open_coroutine(*this);
  open_package(*this);
}

Interp::~Interp() {
  shutdown();
  Heap::set_current(nullptr);
  loaded_chunks_.clear();
}

Value Interp::new_chunk_function(const Chunk& chunk, Value env) {
  auto* fn = new Function();
  Value fv = Value::object(fn);
  fn->proto = chunk.main.get();
  auto* cell = new Cell();
  fn->env = Value::object(cell);
  cell->value = std::move(env);
  assert(!fn->proto->upvalues.empty() && fn->proto->upvalues[0].chunk_env);
  fn->upvalues.push_back(fn->env);  // the main function's only upvalue: _ENV
  return fv;
}

// The parser's "C stack overflow" is a runtime error raised inside load, as any other: the
// handler in force sees it where the parser stood, and what that makes of it is load's message.
Value Interp::parser_stack_error(const ParserStackError& e) {
  Value message = Value::string(e.what());
  if (!e.handled) return message;  // LUA_ERRERR: thrown past every handler
  CLevelAt at_parser_level(e.level);
  try {
    raise(std::move(message));
  } catch (LuaError& raised) {
    leave_error_room();
    return std::move(raised.value);
  }
}

Value Interp::load_text(std::string_view source_name, std::string_view text, Value env,
                        Value& error) {
  // Parsed outside the heap, like the main chunk: the tree's constants are not the run's objects.
  struct OutsideHeap {
    Heap* heap = Heap::current();
    OutsideHeap() { Heap::set_current(nullptr); }
    ~OutsideHeap() { Heap::set_current(heap); }
  };
  Chunk chunk;
  try {
    OutsideHeap outside;
    chunk = parse_source(source_name, text, jmpco::coroutine_core::level());
  } catch (const ParserStackError& e) {
    error = parser_stack_error(e);
    return Value();
  } catch (const SyntaxError& e) {
    error = Value::string(e.what());
    return Value();
  }
  loaded_chunks_.push_back(std::move(chunk));
  return new_chunk_function(loaded_chunks_.back(), std::move(env));
}

void Interp::shutdown() noexcept {
  if (shut_down_) return;
  shut_down_ = true;
  release_orphans();
  globals_ = Value();
  string_meta_ = Value();
  library_state_.drop_values();
  heap_.break_cycles();
  release_orphans();
  main_thread_ = Value();
}

Value Interp::make_native(NativeFn fn, const char* qualified_name) {
  auto* f = new Function();
  f->native = fn;
  f->qualified_name = qualified_name;
  return Value::object(f);
}

void Interp::register_native(Table* t, const char* name, NativeFn fn, const char* qualified_name) {
  t->set(Value::string(name), make_native(fn, qualified_name));
}

namespace {
// lua.c's message handler: a non-string error object becomes a message, and a traceback is
// added.
void lua_c_message_handler(Interp& in, CallArgs& a) {
  Value msg = a[0];
  std::string text;
  if (msg.is_string()) {
    text = msg.str();
  } else if (msg.is_number()) {
    text = number_to_string(msg);
  } else {
    Value to_string = in.metamethod(msg, "__tostring");
    Values shown;
    if (!to_string.is_nil()) in.call_from_native(to_string, Values{msg}, shown, false);
    if (!shown.empty() && shown[0].is_string()) {
      a.results.push_back(shown[0]);  // only a string from __tostring is the message
      return;
    }
    text = std::string("(error object is a ") + type_name(msg) + " value)";
  }
  a.results.push_back(Value::string(traceback_text(in, in.current_thread(), &text, 1)));
}
}  // namespace

int Interp::run_main(const Chunk& chunk, std::string& err_message) {
  // lua.c runs the chunk from C: pmain is one protected call, the chunk another.
  if (jmpco::coroutine_core::enter_level() != jmpco::errc::ok) return 1;
  if (jmpco::coroutine_core::enter_level() != jmpco::errc::ok) return 1;
  Value main_fn = new_chunk_function(chunk, globals_);
  ProtFrame top;
  top.handler = make_native(lua_c_message_handler, "msghandler");
  cur_->prot = &top;
  int status = 0;
  bool closes = true;  // lua.c ends with lua_close, except through os.exit without `close`
  try {
    Values out;
    call(main_fn, Values(), out);
  } catch (LuaError& e) {
    Value v = e.value;
    if (v.is_string()) {
      err_message = v.str();
      std::size_t tb = err_message.find("\nstack traceback:\n");
      if (tb != std::string::npos) err_message.resize(tb);
    } else if (v.is_number()) {
      err_message = number_to_string(v);
    } else {
      err_message = std::string("(error object is a ") + type_name(v) + " value)";
    }
    status = 1;
  } catch (Abort& a) {
    err_message = a.message;
    status = a.exit_code;
    closes = a.close_state;
  }
  cur_->prot = nullptr;
  if (closes) {
    try {
      finalize_at_close();
    } catch (Abort& a) {  // os.exit or the step budget inside a finalizer
      err_message = a.message;
      status = a.exit_code;
    }
  }
  jmpco::coroutine_core::leave_level();
  jmpco::coroutine_core::leave_level();
  return status;
}

void Interp::count_step() {
  if (opts_.max_steps != 0 && ++steps_ > opts_.max_steps) throw Abort{1, "step budget exhausted"};
}

void Interp::switch_to_thread(ThreadObj* t) noexcept {
  cur_obj_ = t;
  cur_ = &t->state;
}

// Unreachable suspended coroutines are unwound here, at a point where no C++ exception is in
// flight: unwinding switches into them. Their __close handlers do not run (Lua's collector
// does not run them either).
void Interp::release_orphans() noexcept {
  while (!heap_.orphaned_threads.empty()) {
    GcObject* o = heap_.orphaned_threads.back();
    heap_.orphaned_threads.pop_back();
    auto* co = static_cast<ThreadObj*>(o)->as_coroutine();
    if (co == nullptr) {
      delete o;
      continue;
    }
    release_coroutine(co);
  }
}

// Each pass may unwind unreachable coroutines whose frames held the last references to more
// garbage; Lua finds all of it in one cycle, so collect until a pass unwinds none.
void Interp::collect_garbage() {
  release_orphans();
  while (heap_.collect()) release_orphans();
  release_orphans();
  run_finalizers();
}

void Interp::run_finalizers() {
  while (!heap_.to_finalize.empty()) {
    std::vector<Value> due = std::move(heap_.to_finalize);
    heap_.to_finalize.clear();
    for (const Value& o : due) {
      const Value meta = metatable_of(o);
      const Value gc = meta.is_table() ? meta.table()->get_str("__gc") : Value();
      if (gc.is_nil()) continue;
      NonYieldable no_yield(*cur_, true);
      try {
        Values out;
        call_from_native(gc, Values{o}, out, false);
      } catch (LuaError&) {
        // lua.c starts with warnings off: an error in __gc is not reported.
      }
    }
  }
}

void Interp::finalize_at_close() {
  release_orphans();
  heap_.finalize_all();
  run_finalizers();
}

// ---------------------------------------------------------------------------------------------
// Errors

std::string Interp::where(int level) const {
  const CallInfo* ci = cur_->ci;
  for (int i = 0; i < level && ci != nullptr; ++i) ci = ci->prev;
  if (ci == nullptr || ci->proto == nullptr || ci->fn->stripped) return "";  // luaL_where: no line
  return ci->proto->chunkname + ":" + std::to_string(ci->line) + ": ";
}

// luaG_addinfo: a stripped function's position is "?:-1:".
std::string Interp::error_position(const CallInfo* ci) const {
  if (ci == nullptr || ci->proto == nullptr) return "";
  if (ci->fn->stripped) return "?:-1: ";
  return ci->proto->chunkname + ":" + std::to_string(ci->line) + ": ";
}

void Interp::raise(Value v) {
  LuaThread& t = *cur_;
  Coroutine* co = cur_obj_->as_coroutine();
  if (library_state_.closing_state) throw LuaError{std::move(v)};
  if (co != nullptr) co->raise_while_closing(v, t.prot);
  if (t.prot != nullptr && !t.prot->handler.is_nil())
    v = apply_message_handler(t.prot->handler, std::move(v));
  throw LuaError{std::move(v)};
}

// The handler runs where the error happened, one C level deeper and not yieldable; an error
// inside it calls it again, until the C stack runs out.
Value Interp::apply_message_handler(const Value& handler, Value v) {
  // A copy on purpose: `handler` lives in the protected call's record, which the call may change.
  Value h = handler;  // NOLINT(performance-unnecessary-copy-initialization)
  Values out;
  call_from_native(h, Values{std::move(v)}, out, false);
  return out.empty() ? Value() : out[0];
}

bool Interp::has_value_stack_room(std::uint64_t n) const {
  constexpr std::uint64_t kMaxStack = 1000000;  // LUAI_MAXSTACK
  constexpr std::uint64_t kInUse = 27;          // a shallow script's slots, as measured with lua5.4
  return n <= kMaxStack - kInUse;
}

void Interp::check_value_stack(std::uint64_t n, const char* msg) {
  if (!has_value_stack_room(n)) lib_error(std::string("stack overflow (") + msg + ")");
}

void Interp::unsupported(const std::string& what) {
  const CallInfo* ci = cur_->ci;
  while (ci != nullptr && ci->proto == nullptr) ci = ci->prev;
  throw Abort{1, error_position(ci) + "unsupported " + what};
}

void Interp::runtime_error(const std::string& msg) {
  raise(Value::string(error_position(cur_->ci) + msg));
}

void Interp::lib_error(const std::string& msg) { raise(Value::string(where(1) + msg)); }

// A stripped caller knows no local names (Lua then looks the function up in the loaded
// libraries) and calls every upvalue '?'.
std::string Interp::native_name() const {
  const CallInfo* ci = cur_->ci;
  if (ci != nullptr && ci->from_lua && ci->site != nullptr && !ci->site->name.empty()) {
    const bool stripped_caller =
        ci->prev != nullptr && ci->prev->fn != nullptr && ci->prev->fn->stripped;
    if (!stripped_caller) return ci->site->name;
    if (std::strcmp(ci->site->kind, "upvalue") == 0) return "?";
    if (std::strcmp(ci->site->kind, "local") != 0) return ci->site->name;
  }
  if (ci != nullptr && ci->fn != nullptr && ci->fn->qualified_name != nullptr)
    return ci->fn->qualified_name;
  return "?";
}

void Interp::arg_error(int arg, const std::string& extra) {
  const CallInfo* ci = cur_->ci;
  bool method = ci != nullptr && ci->from_lua && ci->site != nullptr &&
                std::strcmp(ci->site->kind, "method") == 0;
  if (method) {
    --arg;
    if (arg == 0) lib_error("calling '" + native_name() + "' on bad self (" + extra + ")");
  }
  lib_error("bad argument #" + std::to_string(arg) + " to '" + native_name() + "' (" + extra + ")");
}

void Interp::type_error_arg(int arg, const char* expected, const Value* got) {
  std::string got_name = got == nullptr ? "no value" : type_name(*got);
  if (got != nullptr && got->is_light_userdata()) got_name = "light userdata";  // luaL_typeerror
  if (got != nullptr) {
    Value name = metamethod(*got, "__name");
    if (name.is_string()) got_name = name.str();
  }
  arg_error(arg, std::string(expected) + " expected, got " + got_name);
}

// What Lua's varinfo says about the expression that produced a bad value.
// A stripped function has no local or upvalue names, so not even _ENV is known: its globals are
// fields.
std::string Interp::describe(const Expr* e) const {
  if (e == nullptr) return "";
  const bool stripped = cur_->ci != nullptr && cur_->ci->fn != nullptr && cur_->ci->fn->stripped;
  switch (e->kind) {
    case ExprKind::Local:
      return stripped ? "" : quoted("local", static_cast<const LocalExpr*>(e)->var->name);
    case ExprKind::Upvalue:
      return quoted("upvalue", stripped ? "?" : static_cast<const UpvalueExpr*>(e)->name);
    case ExprKind::Env:
      return quoted("upvalue", stripped ? "?" : "_ENV");
    case ExprKind::Global:
      return quoted(stripped ? "field" : "global", static_cast<const GlobalExpr*>(e)->name.str());
    case ExprKind::Str:
      return quoted("constant", static_cast<const ConstExpr*>(e)->value.str());
    case ExprKind::Index: {
      const CallSiteName name = index_name(*static_cast<const IndexExpr*>(e));
      return quoted(stripped ? "field" : name.kind, name.name);
    }
    case ExprKind::And:
    case ExprKind::Or: {
      // Lua folds a constant left operand that decides nothing (`nil or x`, `true and x`): the
      // result is the right operand itself, named as such.
      const auto* b = static_cast<const BinaryExpr*>(e);
      const ExprKind left = b->left->kind;
      const bool passes = e->kind == ExprKind::Or
                              ? left == ExprKind::Nil || left == ExprKind::False
                              : left == ExprKind::True || left == ExprKind::Int ||
                                    left == ExprKind::Float || left == ExprKind::Str;
      return passes ? describe(b->right.get()) : "";
    }
    case ExprKind::Paren: {
      const Expr* inner = static_cast<const ParenExpr*>(e)->inner.get();
      if (inner->kind == ExprKind::Call || inner->kind == ExprKind::Method ||
          inner->kind == ExprKind::Vararg)
        return "";
      return describe(inner);
    }
    default:
      return "";
  }
}

void Interp::call_error(const Value& f, const Expr* callee, const CallSiteName* site) {
  std::string desc;
  if (callee == nullptr && site != nullptr &&
      (std::strcmp(site->kind, "for iterator") == 0 ||
       std::strcmp(site->kind, "metamethod") == 0)) {
    desc = quoted(site->kind, site->name);  // Lua names these call sites by what calls
  } else if (callee != nullptr && callee->kind == ExprKind::Method &&
             site == &static_cast<const CallExpr*>(callee)->site) {
    // The method call itself (the call of a method call's result names nothing).
    desc = quoted("method", static_cast<const CallExpr*>(callee)->method.str());
  } else {
    desc = describe(callee);
  }
  runtime_error(std::string("attempt to call a ") + obj_type_name(f) + " value" + desc);
}

// ---------------------------------------------------------------------------------------------
// C levels

void Interp::enter_c_level() {
  // Lua's ccall: the count goes up first; reaching LUAI_MAXCCALLS is an error raised at the new
  // level (its handler runs one level deeper still), and going on past it while handling errors
  // ends in "error in error handling".
  const unsigned next = jmpco::coroutine_core::level() + 1;
  if (next >= kErrorHandlingCCalls || jmpco::coroutine_core::enter_level() != jmpco::errc::ok)
    throw LuaError{Value::string("error in error handling")};
  if (next == kMaxCCalls) {
    try {
      runtime_error("C stack overflow");
    } catch (...) {
      jmpco::coroutine_core::leave_level();
      throw;
    }
  }
}

void Interp::close_buffer_box(std::size_t peak) {
  if (peak <= kLuaLBufferSize) return;  // the buffer stayed in the C frame: nothing to close
  CLevel box_close(*this);
}

void Interp::restart_at_resume_base() {
  if (cur_obj_->as_coroutine() == nullptr) return;  // the main thread never yields
  ++cur_->epoch;
  move_c_level_to(cur_->resume_base);
}

void Interp::call_from_native(const Value& f, Values args, Values& out, bool yieldable,
                              const CallSiteName* site) {
  LuaThread& t = *cur_;
  NonYieldable guard(t, !yieldable);
  CLevel level(*this);
  call(f, std::move(args), out, site);
}

const CallSiteName* Interp::metamethod_site(const char* event) const {
  if (!running_lua()) return nullptr;
  static const std::vector<CallSiteName> sites = [] {
    std::vector<CallSiteName> v;
    for (const char* e : {"index", "newindex", "len",  "eq",   "add",    "sub",  "mul", "mod",
                          "pow",   "div",      "idiv", "band", "bor",    "bxor", "shl", "shr",
                          "unm",   "bnot",     "lt",   "le",   "concat", "close"})
      v.push_back(CallSiteName{e, "metamethod"});
    return v;
  }();
  for (const CallSiteName& s : sites)
    if (s.name == event + 2) return &s;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Calls

void Interp::leave_error_room() {
  if (cur_->ci == nullptr || cur_->ci->top <= kLuaMaxStack) cur_->in_error_room = false;
}

long Interp::call_position(const CallSiteName* site) const {
  // Below a thread's first function: lua.c's pmain, its arguments and the message handler on
  // the main thread (as measured with lua5.4), the base frame's slot in a coroutine.
  constexpr long kMainChunkPosition = 5;
  const CallInfo* caller = cur_->ci;
  if (caller == nullptr) return cur_obj_ == main_thread() ? kMainChunkPosition : 1;
  if (caller->proto != nullptr && site != nullptr && site->reg >= 0)
    return caller->base + site->reg;
  return caller->top;  // from C or a metamethod: pushed above the caller's frame
}

void Interp::check_stack(long top, int lua_depth) {
  // The thread stack keeps some room for the handler too (kStackMargin in replay.cpp is larger).
  constexpr std::uintptr_t kCxxErrorRoom = std::uintptr_t{2} << 20;
  LuaThread& t = *cur_;
  char here = 0;
  const auto position = reinterpret_cast<std::uintptr_t>(&here);
  if (t.in_error_room) {
    const bool cxx_low = stack_limit_ != 0 && position < stack_limit_ - kCxxErrorRoom;
    const bool too_deep =
        opts_.max_call_depth > 0 && lua_depth > opts_.max_call_depth + kErrorStackRoom;
    if (top > kLuaMaxStack + kErrorStackRoom || too_deep || cxx_low)
      throw LuaError{Value::string("error in error handling")};  // LUA_ERRERR: no handler
    return;
  }
  const bool too_deep = opts_.max_call_depth > 0 && lua_depth > opts_.max_call_depth;
  if (top > kLuaMaxStack || too_deep || (stack_limit_ != 0 && position < stack_limit_)) {
    t.in_error_room = true;
    runtime_error("stack overflow");
  }
}

void Interp::call(const Value& f, Values args, Values& out, const CallSiteName* site,
                  const Expr* callee) {
  const bool from_lua = running_lua();
  if (f.is_function()) {
    Function* fn = f.func();
    if (fn->is_lua()) return call_lua(fn, std::move(args), out, site, from_lua);
    return call_native(fn, std::move(args), out, site, from_lua);
  }
  Value handler = metamethod(f, "__call");
  if (handler.is_nil()) call_error(f, callee, site);
  args.insert(args.begin(), f);
  // The handler may itself be a value with __call (Lua's precall retries); an error names the
  // callee expression, whose register now holds the handler.
  call(handler, std::move(args), out, site, callee);
}

void Interp::call_native(Function* fn, Values args, Values& out, const CallSiteName* site,
                         bool from_lua) {
  count_step();
  Value keep = Value::object(fn);
  LuaThread& t = *cur_;
  // The stack is checked before the call is recorded: its overflow is the caller's error.
  const long base = call_position(site) + 1;
  const long top = base + static_cast<long>(args.size());
  check_stack(top + kCFunctionStack, t.lua_depth);
  CallScope scope(t, false);
  CallInfo& ci = *scope.ci;
  ci.fn = fn;
  ci.site = site;
  ci.from_lua = from_lua;
  ci.base = base;
  ci.top = top;
  Values results;
  CallArgs a{args, results, fn};
  if ((t.hook.mask & HookState::kCall) != 0) run_hook("call", -1);
  fn->native(*this, a);
  if ((t.hook.mask & HookState::kReturn) != 0) run_hook("return", -1);
  if (out.empty()) {
    out = std::move(results);
  } else {
    for (Value& v : results) out.push_back(std::move(v));
  }
}

void Interp::call_lua(Function* fn, Values args, Values& out, const CallSiteName* site,
                      bool from_lua) {
  LuaThread& t = *cur_;
  Value keep = Value::object(fn);
  bool is_tail = false;
  const long position = call_position(site);  // a tail call reuses the caller's place
  for (;;) {
    count_step();
    const Proto& p = *fn->proto;
    // A vararg function's fixed part is copied above its arguments (luaT_adjustvarargs).
    const long base = position + 1 + (p.is_vararg ? static_cast<long>(args.size()) + 1 : 0);
    check_stack(base + p.max_stack, t.lua_depth + 1);
    CallScope scope(t, true);
    CallInfo& ci = *scope.ci;
    ci.base = base;
    ci.top = base + p.max_stack;
    ci.fn = fn;
    ci.proto = &p;
    ci.line = p.line;
    ci.site = site;
    ci.from_lua = from_lua;
    ci.is_tail = is_tail;
    SlotArray slots(p.frame_size);
    Values varargs;
    Frame fr{slots.data(), fn, &varargs, &ci, {}, {}, false, {}, {}, nullptr};
    const std::size_t n = args.size();
    for (int i = 0; i < p.num_params; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      declare_local(p.params[k], fr, k < n ? std::move(args[k]) : Value());
    }
    if (p.is_vararg && n > static_cast<std::size_t>(p.num_params)) {
      varargs.assign(std::make_move_iterator(args.begin() + p.num_params),
                     std::make_move_iterator(args.end()));
    }
    args.clear();
    if (t.hook.mask != 0) hook_lua_call(fr, is_tail);
    const Flow flow = exec_block(p.body, fr);
    if (fr.tail) {
      keep = std::move(fr.tail_fn);
      fn = keep.func();
      args = std::move(fr.tail_args);
      site = fr.tail_site;
      from_lua = true;
      is_tail = true;
      continue;
    }
    if (t.hook.mask != 0) hook_lua_return(fr, flow);
    if (out.empty()) {
      out = std::move(fr.results);
    } else {
      for (Value& v : fr.results) out.push_back(std::move(v));
    }
    return;
  }
}

}  // namespace replay
