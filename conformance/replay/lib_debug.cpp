// SPDX-License-Identifier: MIT
// The parts of Lua's debug library the subset has: getinfo, traceback, getupvalue, setupvalue,
// upvalueid, getuservalue, setuservalue, sethook and gethook, with ldblib.c's and lauxlib.c's
// results and messages. A thread's calls are read from its CallInfo records, which live on the heap
// (LuaThread::call_stack), so a suspended or normal coroutine's levels can be read while jmpco
// holds its stack copied out.
#include <cstring>
#include <string>
#include <vector>

#include "coroutine.hpp"
#include "interp_internal.hpp"
#include "libutil.hpp"

namespace replay {

namespace {

// One level as lua_getstack counts them: a call, or the C function below lua.c's main chunk
// (pmain), which has no record here.
struct Level {
  const CallInfo* ci = nullptr;  // null: lua.c's C function
};

// The levels of `t`, innermost (level 0) first. Stretches run from C without a function (closing
// variables in a pcall's recovery) are not levels; after a recovery they go on at the pcall.
std::vector<Level> levels_of(Interp& in, ThreadObj* t) {
  std::vector<Level> levels;
  for (const CallInfo* ci = t->state.ci; ci != nullptr;) {
    if (ci->fn != nullptr) levels.push_back(Level{ci});
    ci = ci->levels_continue_at != nullptr ? ci->levels_continue_at : ci->prev;
  }
  if (t == in.main_thread()) levels.push_back(Level{});
  return levels;
}

// getthread: an optional thread argument first; returns the index of the next argument.
ThreadObj* thread_arg(Interp& in, CallArgs& a, std::size_t& next) {
  if (a[0].is_thread()) {
    next = 1;
    return a[0].thread();
  }
  next = 0;
  return in.current_thread();
}

// What lua_getinfo reports about a function, and about the call when there is one.
struct Info {
  const Function* fn = nullptr;
  const CallInfo* ci = nullptr;
  bool is_lua() const { return fn != nullptr && fn->is_lua(); }
  const Proto* proto() const { return fn->proto; }
};

void set_field(Table& t, const char* key, Value v) { t.set(Value::string(key), std::move(v)); }

// luaO_chunkid of the function's source; "?" when a stripped dump left none.
std::string shown_chunkname(const Info& f) { return f.fn->stripped ? "?" : f.proto()->chunkname; }

void add_source(Table& t, const Info& f) {
  if (f.is_lua()) {
    const Proto& p = *f.proto();
    set_field(t, "source", Value::string(f.fn->stripped ? "=?" : p.source));
    set_field(t, "short_src", Value::string(shown_chunkname(f)));
    set_field(t, "linedefined", Value::integer(p.is_main ? 0 : p.line));
    set_field(t, "lastlinedefined", Value::integer(p.is_main ? 0 : p.body.close_line));
    set_field(t, "what", Value::string(p.is_main ? "main" : "Lua"));
  } else {
    set_field(t, "source", Value::string("=[C]"));
    set_field(t, "short_src", Value::string("[C]"));
    set_field(t, "linedefined", Value::integer(-1));
    set_field(t, "lastlinedefined", Value::integer(-1));
    set_field(t, "what", Value::string("C"));
  }
}

int current_line(const Info& f) {
  return f.ci != nullptr && f.is_lua() && !f.fn->stripped ? f.ci->line : -1;
}

// How the caller named the call (funcnamefromcall): nothing for a tail call or a call from C.
const CallSiteName* call_name(const Info& f) {
  const CallInfo* ci = f.ci;
  if (ci == nullptr || ci->is_tail) return nullptr;
  if (ci->site == &kHookSite) return ci->site;  // a hook, whoever runs it
  if (!ci->from_lua || ci->site == nullptr) return nullptr;
  return ci->site->name.empty() ? nullptr : ci->site;
}

bool valid_options(const std::string& what) {
  for (char c : what)
    if (std::strchr("SlutnrLf", c) == nullptr) return false;
  return true;
}

Value info_table(Interp& in, const Info& f, const std::string& what) {
  Value result = Value::object(new Table());
  Table& t = *result.table();
  auto has = [&what](char c) { return what.find(c) != std::string::npos; };
  if (has('S')) add_source(t, f);
  if (has('l')) set_field(t, "currentline", Value::integer(current_line(f)));
  if (has('u')) {
    const auto nups = f.fn != nullptr ? f.fn->upvalues.size() : 0;
    set_field(t, "nups", Value::integer(static_cast<std::int64_t>(nups)));
    set_field(t, "nparams", Value::integer(f.is_lua() ? f.proto()->num_params : 0));
    set_field(t, "isvararg",
              Value::boolean(!f.is_lua() || f.proto()->is_vararg || f.proto()->is_main));
  }
  if (has('n')) {
    const CallSiteName* name = call_name(f);
    set_field(t, "name", name != nullptr ? Value::string(name->name) : Value());
    set_field(t, "namewhat", Value::string(name != nullptr ? name->kind : ""));
  }
  if (has('r')) {
    set_field(t, "ftransfer", Value::integer(0));
    set_field(t, "ntransfer", Value::integer(0));
  }
  if (has('t')) set_field(t, "istailcall", Value::boolean(f.ci != nullptr && f.ci->is_tail));
  if (has('L')) in.unsupported("debug.getinfo option 'L'");
  if (has('f'))
    set_field(t, "func", f.fn != nullptr ? Value::object(const_cast<Function*>(f.fn)) : Value());
  return result;
}

void db_getinfo(Interp& in, CallArgs& a) {
  std::size_t arg = 0;
  ThreadObj* thread = thread_arg(in, a, arg);
  const std::string what = opt_string(in, a, arg + 1, "flnSrtu");
  const int what_arg = static_cast<int>(arg) + 2;
  if (!what.empty() && what[0] == '>') in.arg_error(what_arg, "invalid option '>'");
  Info f;
  if (a[arg].is_function()) {
    f.fn = a[arg].func();
  } else {
    const std::int64_t level = check_integer(in, a, arg);
    const std::vector<Level> levels = levels_of(in, thread);
    if (level < 0 || static_cast<std::uint64_t>(level) >= levels.size()) {
      a.results.push_back(Value());
      return;
    }
    f.ci = levels[static_cast<std::size_t>(level)].ci;
    f.fn = f.ci != nullptr ? f.ci->fn : nullptr;
  }
  if (!valid_options(what)) in.arg_error(what_arg, "invalid option");
  a.results.push_back(info_table(in, f, what));
}

// pushglobalfuncname: a field of a loaded library (the globals first), as "name" or "lib.name".
bool global_function_name(Interp& in, const Function* fn, std::string& name) {
  Table* g = in.globals();
  auto field_holding = [fn](const Table& t, std::string& key) {
    Value k, v;
    bool bad = false;
    for (Value at; t.next(at, k, v, bad); at = k) {
      if (v.is_function() && v.func() == fn && k.is_string()) {
        key = k.str();
        return true;
      }
    }
    return false;
  };
  if (field_holding(*g, name)) return true;
  for (const char* lib : {"string", "table", "math", "coroutine", "io", "os", "debug"}) {
    const Value t = g->get_str(lib);
    std::string key;
    if (t.is_table() && field_holding(*t.table(), key)) {
      name = std::string(lib) + "." + key;
      return true;
    }
  }
  return false;
}

std::string function_description(Interp& in, const Info& f) {
  std::string global;
  if (f.fn != nullptr && global_function_name(in, f.fn, global)) return "function '" + global + "'";
  if (const CallSiteName* name = call_name(f))
    return std::string(name->kind) + " '" + name->name + "'";
  if (f.is_lua() && f.proto()->is_main) return "main chunk";
  if (f.is_lua())
    return "function <" + shown_chunkname(f) + ":" + std::to_string(f.proto()->line) + ">";
  return "?";
}

constexpr std::size_t kTracebackFirst = 10;  // lauxlib's LEVELS1
constexpr std::size_t kTracebackLast = 11;   // LEVELS2

}  // namespace

std::string traceback_text(Interp& in, ThreadObj* thread, const std::string* msg,
                           std::int64_t level) {
  std::string out = msg != nullptr ? *msg + "\n" : "";
  out += "stack traceback:";
  const std::vector<Level> levels = levels_of(in, thread);
  const auto first = static_cast<std::size_t>(level < 0 ? 0 : level);
  const bool skips =
      levels.size() > first && levels.size() - first > kTracebackFirst + kTracebackLast + 1;
  for (std::size_t i = first; i < levels.size(); ++i) {
    if (skips && i == first + kTracebackFirst) {
      const std::size_t skipped = levels.size() - kTracebackLast - i;
      // lauxlib counts one level fewer than it leaves out (the one its own message stands for)
      out += "\n\t...\t(skipping " + std::to_string(skipped - 1) + " levels)";
      i += skipped - 1;
      continue;
    }
    Info f;
    f.ci = levels[i].ci;
    f.fn = f.ci != nullptr ? f.ci->fn : nullptr;
    const int line = current_line(f);
    out += "\n\t" + (f.is_lua() ? shown_chunkname(f) : std::string("[C]")) + ":";
    if (line > 0) out += std::to_string(line) + ":";
    out += " in " + function_description(in, f);
    if (f.ci != nullptr && f.ci->is_tail) out += "\n\t(...tail calls...)";
  }
  return out;
}

namespace {

void db_traceback(Interp& in, CallArgs& a) {
  std::size_t arg = 0;
  ThreadObj* thread = thread_arg(in, a, arg);
  const Value& message = a[arg];
  if (!message.is_nil() && !message.is_string() && !message.is_number()) {
    a.results.push_back(message);  // not a message: returned untouched
    return;
  }
  const std::string text = message.is_number()   ? number_to_string(message)
                           : message.is_string() ? message.str()
                                                 : std::string();
  const std::int64_t level = opt_integer(in, a, arg + 1, thread == in.current_thread() ? 1 : 0);
  const std::string traceback =
      traceback_text(in, thread, message.is_nil() ? nullptr : &text, level);
  in.close_buffer_box(traceback.size());
  a.results.push_back(Value::string(traceback));
}

// The upvalue number argument at `argn`, then the function at `argf`, checked in ldblib.c's order;
// like ldblib, the number is cut to a C int.
int upvalue_number(Interp& in, CallArgs& a, std::size_t argf, std::size_t argn) {
  const auto n = static_cast<int>(static_cast<std::uint32_t>(check_integer(in, a, argn)));
  if (!a[argf].is_function())
    in.type_error_arg(static_cast<int>(argf) + 1, "function",
                      arg_missing(a, argf) ? nullptr : &a[argf]);
  return n;
}

bool has_upvalue(const Function& fn, int n) {
  return n >= 1 && static_cast<std::size_t>(n) <= fn.upvalues.size();
}

// lua_getupvalue / lua_setupvalue: a Lua function's upvalues are named cells; a native's are
// unnamed ("").
Value* upvalue_slot(Interp& in, CallArgs& a, std::string& name) {
  const int n = upvalue_number(in, a, 0, 1);
  Function* fn = a[0].func();
  if (!has_upvalue(*fn, n)) return nullptr;
  const auto i = static_cast<std::size_t>(n - 1);
  if (!fn->is_lua()) {
    name.clear();
    return &fn->upvalues[i];
  }
  name = fn->stripped ? "(no name)" : fn->proto->upvalues[i].name;
  return &fn->upvalues[i].cell()->value;
}

void db_getupvalue(Interp& in, CallArgs& a) {
  std::string name;
  const Value* slot = upvalue_slot(in, a, name);
  if (slot == nullptr) return;
  a.results.push_back(Value::string(name));
  a.results.push_back(*slot);
}

void db_setupvalue(Interp& in, CallArgs& a) {
  check_any(in, a, 2);
  std::string name;
  Value* slot = upvalue_slot(in, a, name);
  if (slot == nullptr) return;
  *slot = a[2];
  a.results.push_back(Value::string(name));
}

// debug.upvalueid(f, n): lua_upvalueid's identity of an upvalue as a light userdata, equal for
// closures that share it (a Lua function's cell; a native's own slot), or fail without one.
void db_upvalueid(Interp& in, CallArgs& a) {
  const int n = upvalue_number(in, a, 0, 1);
  const Function& fn = *a[0].func();
  if (!has_upvalue(fn, n)) {
    a.results.push_back(Value());
    return;
  }
  const Value& slot = fn.upvalues[static_cast<std::size_t>(n - 1)];
  a.results.push_back(Value::light_userdata(fn.is_lua() ? static_cast<const void*>(slot.cell())
                                                        : static_cast<const void*>(&slot)));
}

// debug.getuservalue(u [, n]) and debug.setuservalue(u, v [, n]): the library's userdata (io's
// files, made by lua_newuserdatauv with no user values) have none to get or set, so both fail.
void db_getuservalue(Interp& in, CallArgs& a) {
  (void)opt_integer(in, a, 1, 1);
  a.results.push_back(Value());
}

void db_setuservalue(Interp& in, CallArgs& a) {
  (void)opt_integer(in, a, 2, 1);
  if (!a[0].is_userdata()) in.type_error_arg(1, "userdata", arg_missing(a, 0) ? nullptr : &a[0]);
  check_any(in, a, 1);
  a.results.push_back(Value());
}

// makemask / unmakemask: "c", "r" and "l" in any order; a positive count adds count events.
std::uint8_t hook_mask(const std::string& letters, int count) {
  std::uint8_t mask = 0;
  if (letters.find('c') != std::string::npos) mask |= HookState::kCall;
  if (letters.find('r') != std::string::npos) mask |= HookState::kReturn;
  if (letters.find('l') != std::string::npos) mask |= HookState::kLine;
  if (count > 0) mask |= HookState::kCount;
  return mask;
}

std::string hook_letters(std::uint8_t mask) {
  std::string letters;
  if ((mask & HookState::kCall) != 0) letters += 'c';
  if ((mask & HookState::kReturn) != 0) letters += 'r';
  if ((mask & HookState::kLine) != 0) letters += 'l';
  return letters;
}

// debug.sethook([thread,] [hook, mask [, count]]): no hook (nil or nothing) turns them off. The
// function is kept for the thread even with an empty mask, which installs nothing (lua_sethook).
void db_sethook(Interp& in, CallArgs& a) {
  std::size_t arg = 0;
  ThreadObj* thread = thread_arg(in, a, arg);
  HookState& hook = thread->state.hook;
  Value fn;
  std::uint8_t mask = 0;
  int count = 0;
  if (!a[arg].is_nil()) {
    const std::string letters = check_string(in, a, arg + 1);
    if (!a[arg].is_function()) in.type_error_arg(static_cast<int>(arg) + 1, "function", &a[arg]);
    // ldblib casts the count to an int
    count = static_cast<int>(static_cast<std::uint32_t>(opt_integer(in, a, arg + 2, 0)));
    fn = a[arg];
    mask = hook_mask(letters, count);
  }
  hook.fn = std::move(fn);
  hook.mask = mask;
  hook.base_count = count;
  hook.count = count;
}

// debug.gethook([thread]): the hook, its mask letters and count, or nil without one.
void db_gethook(Interp& in, CallArgs& a) {
  std::size_t arg = 0;
  const HookState& hook = thread_arg(in, a, arg)->state.hook;
  if (hook.mask == 0) {
    a.results.push_back(Value());
    return;
  }
  a.results.push_back(hook.fn);
  a.results.push_back(Value::string(hook_letters(hook.mask)));
  a.results.push_back(Value::integer(hook.base_count));
}

}  // namespace

void open_debug(Interp& in, Table* debug) {
  in.register_native(debug, "getinfo", db_getinfo, "debug.getinfo");
  in.register_native(debug, "traceback", db_traceback, "debug.traceback");
  in.register_native(debug, "getupvalue", db_getupvalue, "debug.getupvalue");
  in.register_native(debug, "setupvalue", db_setupvalue, "debug.setupvalue");
  in.register_native(debug, "upvalueid", db_upvalueid, "debug.upvalueid");
  in.register_native(debug, "getuservalue", db_getuservalue, "debug.getuservalue");
  in.register_native(debug, "setuservalue", db_setuservalue, "debug.setuservalue");
  in.register_native(debug, "sethook", db_sethook, "debug.sethook");
  in.register_native(debug, "gethook", db_gethook, "debug.gethook");
}

}  // namespace replay
