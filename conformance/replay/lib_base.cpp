// SPDX-License-Identifier: MIT
// The basic library (print, type, pcall, ...), argument checks, and stand-ins for the standard
// functions the replay subset leaves out.
#include <cmath>
#include <cstring>

#include "coroutine.hpp"
#include "libutil.hpp"

namespace replay {

// ---------------------------------------------------------------------------------------------
// Argument checks

bool arg_missing(const CallArgs& a, std::size_t i) { return i >= a.size(); }

void check_any(Interp& in, const CallArgs& a, std::size_t i) {
  if (arg_missing(a, i)) in.arg_error(static_cast<int>(i) + 1, "value expected");
}

Table* check_table(Interp& in, const CallArgs& a, std::size_t i) {
  if (!a[i].is_table())
    in.type_error_arg(static_cast<int>(i) + 1, "table", arg_missing(a, i) ? nullptr : &a[i]);
  return a[i].table();
}

std::int64_t check_integer(Interp& in, const CallArgs& a, std::size_t i) {
  const Value& v = a[i];
  if (v.is_int()) return v.as_int();
  std::int64_t out = 0;
  if (in.to_integer(v, out)) return out;
  Value n;
  if (in.to_number(v, n))
    in.arg_error(static_cast<int>(i) + 1, "number has no integer representation");
  in.type_error_arg(static_cast<int>(i) + 1, "number", arg_missing(a, i) ? nullptr : &v);
}

std::int64_t opt_integer(Interp& in, const CallArgs& a, std::size_t i, std::int64_t def) {
  if (a[i].is_nil()) return def;
  return check_integer(in, a, i);
}

Value check_number(Interp& in, const CallArgs& a, std::size_t i) {
  Value n;
  if (in.to_number(a[i], n)) return n;
  in.type_error_arg(static_cast<int>(i) + 1, "number", arg_missing(a, i) ? nullptr : &a[i]);
}

std::string check_string(Interp& in, const CallArgs& a, std::size_t i) {
  const Value& v = a[i];
  if (v.is_string()) return v.str();
  if (v.is_number()) return number_to_string(v);
  in.type_error_arg(static_cast<int>(i) + 1, "string", arg_missing(a, i) ? nullptr : &v);
}

std::string opt_string(Interp& in, const CallArgs& a, std::size_t i, const std::string& def) {
  if (a[i].is_nil()) return def;
  return check_string(in, a, i);
}

void add_unsupported(Interp& in, Table* t, std::initializer_list<const char*> qualified) {
  for (const char* q : qualified) {
    const char* dot = std::strrchr(q, '.');
    in.register_native(t, dot != nullptr ? dot + 1 : q, unsupported_function, q);
  }
}

void unsupported_function(Interp& in, CallArgs& a) {
  const char* name = a.self->qualified_name != nullptr ? a.self->qualified_name : "function";
  in.unsupported(name);
}

namespace {

// ---------------------------------------------------------------------------------------------
// Output and conversions

void lib_print(Interp& in, CallArgs& a) {
  std::string line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0) line += '\t';
    line += in.to_display_string(a[i]);
  }
  line += '\n';
  in.out() << line;
}

void lib_type(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  a.results.push_back(Value::string(type_name(a[0])));
}

void lib_tostring(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  a.results.push_back(Value::string(in.to_display_string(a[0])));
}

bool is_lua_space(char c) {
  return c == ' ' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v';
}

// tonumber(s, base): digits of the base, optional '-', surrounding spaces; wraps around.
bool string_to_integer_base(const std::string& s, int base, std::int64_t& out) {
  std::size_t i = 0;
  while (i < s.size() && is_lua_space(s[i])) ++i;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  if (i >= s.size() || !std::isalnum(static_cast<unsigned char>(s[i]))) return false;
  std::uint64_t n = 0;
  for (; i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int digit = std::isdigit(c) ? c - '0' : (std::toupper(c) - 'A') + 10;
    if (digit >= base) return false;
    n = n * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
  }
  while (i < s.size() && is_lua_space(s[i])) ++i;
  if (i != s.size()) return false;
  out = static_cast<std::int64_t>(neg ? 0u - n : n);
  return true;
}

void lib_tonumber(Interp& in, CallArgs& a) {
  if (a[1].is_nil()) {
    Value n;
    if (a[0].is_number()) {
      a.results.push_back(a[0]);
      return;
    }
    if (a[0].is_string() && string_to_number(a[0].str(), n)) {
      a.results.push_back(n);
      return;
    }
    check_any(in, a, 0);
    a.results.push_back(Value());
    return;
  }
  std::int64_t base = check_integer(in, a, 1);
  if (!a[0].is_string()) in.type_error_arg(1, "string", arg_missing(a, 0) ? nullptr : &a[0]);
  if (base < 2 || base > 36) in.arg_error(2, "base out of range");
  std::int64_t n = 0;
  if (string_to_integer_base(a[0].str(), static_cast<int>(base), n))
    a.results.push_back(Value::integer(n));
  else
    a.results.push_back(Value());
}

void lib_select(Interp& in, CallArgs& a) {
  // Lua counts the selector itself among the arguments.
  const std::int64_t n = static_cast<std::int64_t>(a.size());
  if (a[0].is_string() && a[0].str() == "#") {
    a.results.push_back(Value::integer(n - 1));
    return;
  }
  std::int64_t i = check_integer(in, a, 0);
  if (i < 0)
    i = n + i;
  else if (i > n)
    i = n;
  if (i < 1) in.arg_error(1, "index out of range");
  for (std::size_t k = static_cast<std::size_t>(i); k < a.size(); ++k)
    a.results.push_back(a.args[k]);
}

// ---------------------------------------------------------------------------------------------
// Errors and protected calls

void lib_error(Interp& in, CallArgs& a) {
  const std::int64_t level = opt_integer(in, a, 1, 1);
  Value msg = a[0];
  if (msg.is_string() && level > 0)
    msg = Value::string(in.where(static_cast<int>(level)) + msg.str());
  in.raise(msg);
}

void lib_assert(Interp& in, CallArgs& a) {
  if (a[0].truthy()) {
    a.results = a.args;
    return;
  }
  check_any(in, a, 0);
  // Lua's assert hands its message to 'error' (level 1).
  Value msg = a.size() >= 2 ? a[1] : Value::string("assertion failed!");
  if (msg.is_string()) msg = Value::string(in.where(1) + msg.str());
  in.raise(msg);
}

// Runs f in protected mode; `handler` is nil for pcall.
void protected_call(Interp& in, CallArgs& a, const Value& f, Values args, const Value& handler) {
  LuaThread& thread = in.thread_state();
  ProtFrame frame;
  frame.prev = thread.prot;
  frame.handler = handler;
  Coroutine* co = in.current_thread()->as_coroutine();
  frame.yieldable = co != nullptr && !co->closing && thread.non_yieldable == 0;
  frame.lua_depth = thread.lua_depth;
  frame.ci = thread.ci;
  const bool in_close = co != nullptr && co->closing;
  struct Pop {
    LuaThread& t;
    ProtFrame* prev;
    Coroutine* closing;
    ~Pop() {
      t.prot = prev;
      if (closing != nullptr) --closing->pcalls_while_closing;
    }
  } pop{thread, thread.prot, in_close ? co : nullptr};
  if (in_close) ++co->pcalls_while_closing;
  thread.prot = &frame;
  Values out;
  bool ok = true;
  Value err;
  try {
    in.call_from_native(f, std::move(args), out, true);
  } catch (LuaError& e) {
    ok = false;
    err = std::move(e.value);
    if (frame.yieldable) in.restart_at_resume_base();
    in.leave_error_room();
  }
  a.results.push_back(Value::boolean(ok));
  if (ok) {
    for (Value& v : out) a.results.push_back(std::move(v));
  } else {
    a.results.push_back(std::move(err));
  }
}

void lib_pcall(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  Values args(a.args.begin() + 1, a.args.end());
  protected_call(in, a, a[0], std::move(args), Value());
}

void lib_xpcall(Interp& in, CallArgs& a) {
  if (!a[1].is_function()) in.type_error_arg(2, "function", arg_missing(a, 1) ? nullptr : &a[1]);
  Values args(a.args.begin() + 2, a.args.end());
  protected_call(in, a, a[0], std::move(args), a[1]);
}

// ---------------------------------------------------------------------------------------------
// Raw access and metatables

void lib_rawequal(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  check_any(in, a, 1);
  a.results.push_back(Value::boolean(raw_equal(a[0], a[1])));
}

void lib_rawget(Interp& in, CallArgs& a) {
  Table* t = check_table(in, a, 0);
  check_any(in, a, 1);
  a.results.push_back(t->get(a[1]));
}

void lib_rawset(Interp& in, CallArgs& a) {
  Table* t = check_table(in, a, 0);
  check_any(in, a, 1);
  check_any(in, a, 2);
  const Value& k = a[1];
  if (k.is_nil()) in.runtime_error("table index is nil");
  if (k.is_float() && std::isnan(k.as_float())) in.runtime_error("table index is NaN");
  t->set(normalize_key(k), a[2]);
  a.results.push_back(a[0]);
}

void lib_rawlen(Interp& in, CallArgs& a) {
  if (a[0].is_table())
    a.results.push_back(Value::integer(a[0].table()->border()));
  else if (a[0].is_string())
    a.results.push_back(Value::integer(static_cast<std::int64_t>(a[0].str().size())));
  else
    in.type_error_arg(1, "table or string", arg_missing(a, 0) ? nullptr : &a[0]);
}

void lib_setmetatable(Interp& in, CallArgs& a) {
  Table* t = check_table(in, a, 0);
  const Value& mt = a[1];
  if (!mt.is_nil() && !mt.is_table())
    in.type_error_arg(2, "nil or table", arg_missing(a, 1) ? nullptr : &mt);
  if (t->meta.is_table() && !t->meta.table()->get_str("__metatable").is_nil())
    in.lib_error("cannot change a protected metatable");
  t->meta = mt;
  // Lua marks an object for finalization only if __gc is there when the metatable is set.
  if (mt.is_table() && !mt.table()->get_str("__gc").is_nil())
    Heap::current()->mark_for_finalization(t);
  a.results.push_back(a[0]);
}

void lib_getmetatable(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  Value mt = in.metatable_of(a[0]);
  if (mt.is_table()) {
    Value protected_mt = mt.table()->get_str("__metatable");
    if (!protected_mt.is_nil()) mt = protected_mt;
  }
  a.results.push_back(mt);
}

// ---------------------------------------------------------------------------------------------
// Traversal

void lib_next(Interp& in, CallArgs& a) {
  Table* t = check_table(in, a, 0);
  Value k, v;
  bool bad_key = false;
  if (t->next(a[1], k, v, bad_key)) {
    a.results.push_back(k);
    a.results.push_back(v);
    return;
  }
  if (bad_key) in.runtime_error("invalid key to 'next'");
  a.results.push_back(Value());
}

void register_with_upvalue(Interp& in, Table* t, const char* name, NativeFn fn, Value upvalue) {
  Value f = in.make_native(fn, name);
  f.func()->upvalues.push_back(std::move(upvalue));
  t->set(Value::string(name), std::move(f));
}

void lib_pairs(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  Value mm = in.metamethod(a[0], "__pairs");
  if (!mm.is_nil()) {
    Values out;
    in.call_from_native(mm, Values{a[0]}, out, true);
    out.resize(3);
    a.results = std::move(out);
    return;
  }
  a.results.push_back(a.self->upvalues[0]);  // luaB_next itself, whatever the global is now
  a.results.push_back(a[0]);
  a.results.push_back(Value());
}

void ipairs_step(Interp& in, CallArgs& a) {
  const std::int64_t i = check_integer(in, a, 1) + 1;
  Value v = in.index(a[0], Value::integer(i));
  a.results.push_back(v.is_nil() ? Value() : Value::integer(i));
  if (!v.is_nil()) a.results.push_back(v);
}

void lib_ipairs(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  a.results.push_back(a.self->upvalues[0]);  // one function, as Lua's light ipairsaux
  a.results.push_back(a[0]);
  a.results.push_back(Value::integer(0));
}

constexpr double kNominalObjectBytes = 64;

void lib_collectgarbage(Interp& in, CallArgs& a) {
  const std::string opt = opt_string(in, a, 0, "collect");
  if (opt == "collect" || opt == "step") {
    // A step here is a whole cycle. It ends a cycle in incremental mode; in generational mode
    // Lua reports false.
    in.collect_garbage();
    const bool cycle_done = std::strcmp(in.library_state().gc_mode, "incremental") == 0;
    a.results.push_back(opt == "step" ? Value::boolean(cycle_done) : Value::integer(0));
  } else if (opt == "count") {
    // Not Lua's byte count: a size that grows and shrinks with the live objects.
    const auto objects = static_cast<double>(Heap::current()->live_count());
    a.results.push_back(Value::number(objects * kNominalObjectBytes / 1024.0));
  } else if (opt == "isrunning") {
    a.results.push_back(Value::boolean(in.library_state().gc_running));
  } else if (opt == "incremental" || opt == "generational") {
    a.results.push_back(Value::string(in.library_state().gc_mode));
    in.library_state().gc_mode = opt == "incremental" ? "incremental" : "generational";
  } else if (opt == "stop" || opt == "restart") {
    in.library_state().gc_running =
        opt == "restart";  // an explicit collection still runs, as in Lua
    a.results.push_back(Value::integer(0));
  } else if (opt == "setpause" || opt == "setstepmul") {
    a.results.push_back(Value::integer(0));
  } else {
    in.arg_error(1, "invalid option '" + opt + "'");
  }
}

// ---------------------------------------------------------------------------------------------
// os.exit, the piece of os scripts commonly use

void os_exit(Interp& in, CallArgs& a) {
  int code = 0;
  if (a[0].is_nil() || (a[0].tag() == Tag::Bool && a[0].as_bool()))
    code = 0;
  else if (a[0].tag() == Tag::Bool)
    code = 1;
  else
    code = static_cast<int>(check_integer(in, a, 0));
  const bool close = a[1].truthy();
  in.library_state().closing_state = close;
  throw Abort{code, "", close};
}

// __index of a library the subset leaves out: any field stops the script.
void unsupported_field(Interp& in, CallArgs& a) {
  const std::string key = a[1].is_string() ? a[1].str() : in.to_display_string(a[1]);
  in.unsupported(std::string(a.self->qualified_name) + "." + key);
}

}  // namespace

void open_base(Interp& in) {
  Table* g = in.globals();
  in.register_native(g, "print", lib_print, "print");
  in.register_native(g, "type", lib_type, "type");
  in.register_native(g, "tostring", lib_tostring, "tostring");
  in.register_native(g, "tonumber", lib_tonumber, "tonumber");
  in.register_native(g, "select", lib_select, "select");
  in.register_native(g, "error", lib_error, "error");
  in.register_native(g, "assert", lib_assert, "assert");
  in.register_native(g, "pcall", lib_pcall, "pcall");
  in.register_native(g, "xpcall", lib_xpcall, "xpcall");
  in.register_native(g, "rawequal", lib_rawequal, "rawequal");
  in.register_native(g, "rawget", lib_rawget, "rawget");
  in.register_native(g, "rawset", lib_rawset, "rawset");
  in.register_native(g, "rawlen", lib_rawlen, "rawlen");
  in.register_native(g, "setmetatable", lib_setmetatable, "setmetatable");
  in.register_native(g, "getmetatable", lib_getmetatable, "getmetatable");
  // pairs and ipairs hand out the same iterator every time (Lua's are light C functions)
  const Value next = in.make_native(lib_next, "next");
  g->set(Value::string("next"), next);
  register_with_upvalue(in, g, "pairs", lib_pairs, next);
  register_with_upvalue(in, g, "ipairs", lib_ipairs, in.make_native(ipairs_step, nullptr));
  in.register_native(g, "collectgarbage", lib_collectgarbage, "collectgarbage");
  add_unsupported(in, g, {"loadfile", "dofile", "warn"});
  g->set(Value::string("_G"), Value::object(g));
  g->set(Value::string("_VERSION"), Value::string("Lua 5.4"));

  auto* os = new Table();
  g->set(Value::string("os"), Value::object(os));
  in.register_native(os, "exit", os_exit, "os.exit");
  add_unsupported(in, os,
                  {"os.time", "os.clock", "os.date", "os.getenv", "os.remove", "os.rename",
                   "os.tmpname", "os.execute", "os.difftime", "os.setlocale"});
  for (const char* lib : {"debug", "utf8", "package"}) {
    auto* t = new Table();
    auto* meta = new Table();
    meta->set(Value::string("__index"), in.make_native(unsupported_field, lib));
    t->meta = Value::object(meta);
    g->set(Value::string(lib), Value::object(t));
    if (std::strcmp(lib, "debug") == 0) open_debug(in, t);  // the rest stays unsupported
  }
  // lua.c's script arguments: arg[0] is the script as given, arg[-1] the interpreter.
  auto* args = new Table();
  args->set(Value::integer(0), Value::string(in.script_name()));
  args->set(Value::integer(-1), Value::string("lua5.4"));
  g->set(Value::string("arg"), Value::object(args));
}

}  // namespace replay
