// SPDX-License-Identifier: MIT
// The tree-walking interpreter. A Lua call is a C++ call (Interp::call), so a coroutine.yield
// deep inside nested Lua calls is a jmpco yield from deep inside these C++ frames. Lua errors are
// C++ exceptions (LuaError); errors that no pcall may catch (step budget, os.exit) are other
// exception types that unwind everything without running Lua code.
#ifndef JMPCO_REPLAY_INTERP_HPP
#define JMPCO_REPLAY_INTERP_HPP

#include <array>
#include <cassert>
#include <cstdint>
#include <deque>
#include <ostream>
#include <string>

#include "ast.hpp"
#include "lua_limits.hpp"
#include "options.hpp"
#include "value.hpp"

namespace replay {

// A Lua error on its way to the nearest pcall.
struct LuaError {
  Value value;
};

// Unwinds the whole run without running Lua code: step budget exhausted, os.exit, internal
// limits. Not catchable by pcall.
struct Abort {
  int exit_code;
  std::string message;       // empty: exit quietly
  bool close_state = false;  // os.exit(code, true): the main thread's variables are closed first
};

// One activation record, for error positions and for the names in "bad argument" messages.
struct CallInfo {
  CallInfo* prev = nullptr;
  const Function* fn = nullptr;
  const Proto* proto = nullptr;        // null for a native function
  int line = 0;                        // the line being executed (Lua functions)
  const CallSiteName* site = nullptr;  // how the caller named the callee
  bool from_lua = false;               // called by Lua code (else by a native, e.g. pcall)
  bool is_tail = false;                // reached through a tail call
  // Lua stack slots (estimated): where the function's registers start and end.
  long base = 0;
  long top = 0;
  // A stretch run from C while a pcall recovers from an error (closing variables): the calls
  // between it and the pcall are gone for Lua, so the levels go on at the pcall's record.
  const CallInfo* levels_continue_at = nullptr;
};

// An active pcall/xpcall.
struct ProtFrame {
  ProtFrame* prev = nullptr;
  Value handler;                 // nil for pcall
  bool yieldable = false;        // entered where a yield was allowed (see Interp::unwind_block)
  int lua_depth = 0;             // Lua call depth of the function that called pcall/xpcall
  const CallInfo* ci = nullptr;  // the record of the pcall/xpcall itself
};

// debug.sethook's state of one thread: lua_State's hook mask, counts and allowhook, and the
// function ldblib's hook table holds for the thread.
struct HookState {
  // LUA_MASKCALL, LUA_MASKRET, LUA_MASKLINE, LUA_MASKCOUNT
  static constexpr std::uint8_t kCall = 1, kReturn = 2, kLine = 4, kCount = 8;
  static constexpr std::uint8_t kTrace = kLine | kCount;  // hooks that run between statements
  std::uint8_t mask = 0;  // 0: no hook installed (debug.gethook returns nil)
  int base_count = 0;     // the count debug.sethook was given
  int count = 0;          // statements left until the next count event
  bool allowed = true;    // false while the thread runs its hook (Lua's allowhook)
  // The hook table's entry: nil for a coroutine that inherited its creator's mask (lua_newthread
  // copies the mask, but ldblib finds no function for the new thread and calls nothing).
  Value fn;
};

// The Lua-side state of one thread (the main thread or a coroutine).
struct LuaThread {
  CallInfo* ci = nullptr;
  // Storage of the records `ci` chains, innermost last: on the heap, not in the C++ frames, so
  // that another thread can read this thread's calls while jmpco holds its stack copied out
  // (debug.getinfo and debug.traceback of a suspended or normal coroutine).
  std::deque<CallInfo> call_stack;
  ProtFrame* prot = nullptr;
  int lua_depth = 0;  // active Lua calls, for options::max_call_depth
  // The Lua stack overflowed and is handling it in the extra room (kErrorStackRoom) until a
  // protected call catches the error (Lua's stack is ERRORSTACKSIZE until luaD_shrinkstack).
  bool in_error_room = false;
  int non_yieldable = 0;     // active calls that cannot be yielded across
  unsigned epoch = 0;        // bumped by every resume: C levels entered before a yield are not left
  unsigned resume_base = 0;  // a coroutine's C level right after its last resume (Lua's nCcalls)
  // Values of to-be-closed variables left open when the coroutine died by error, innermost
  // first: coroutine.close (or wrap) closes them later with the error.
  std::vector<Value> pending_close;
  HookState hook;
};

class Coroutine;
struct ParserStackError;

struct ThreadObj : GcObject {
  ThreadObj() : GcObject(GcKind::Thread) {}
  void visit_references(RefVisitor& v) const override {
    for (const Value& x : state.pending_close) v.visit(x);
    v.visit(state.hook.fn);
  }
  virtual Coroutine* as_coroutine() noexcept { return nullptr; }
  LuaThread state;
};

inline ThreadObj* Value::thread() const noexcept { return static_cast<ThreadObj*>(u_.gc); }

// Arguments and results of a native function call.
struct CallArgs {
  Values& args;
  Values& results;
  Function* self;
  std::size_t size() const { return args.size(); }
  const Value& operator[](std::size_t i) const;
};

enum class Flow : std::uint8_t { Normal, Break, Return, Goto };

struct Frame;

class Interp {
 public:
  Interp(std::string_view chunkname, std::ostream& out, const options& opts);
  ~Interp();
  Interp(const Interp&) = delete;
  Interp& operator=(const Interp&) = delete;

  // Runs a parsed chunk as lua.c does; returns the exit status. `err_message` gets the message
  // of an uncaught error.
  int run_main(const Chunk& chunk, std::string& err_message);
  // Releases every object (cycles included) while the interpreter can still unwind coroutines.
  void shutdown() noexcept;

  // ---- calls -----------------------------------------------------------------------------
  void call(const Value& f, Values args, Values& out, const CallSiteName* site = nullptr,
            const Expr* callee = nullptr);
  // Calls `f` the way Lua's C API does (lua_call): one more C level, optionally not yieldable.
  // `site` names the call in messages (see metamethod_site).
  void call_from_native(const Value& f, Values args, Values& out, bool yieldable,
                        const CallSiteName* site = nullptr);
  // How Lua names a call of the metamethod for `event` ("__add"): "metamethod 'add'" when the
  // running code is Lua (funcnamefromcode), nothing when it is a native.
  const CallSiteName* metamethod_site(const char* event) const;
  // Whether the running function is a Lua one (else a native, or nothing yet).
  bool running_lua() const { return cur_->ci != nullptr && cur_->ci->proto != nullptr; }
  // luaT_objtypename: a table's __name (a string in its metatable), else its type.
  std::string obj_type_name(const Value& v);

  // ---- errors ----------------------------------------------------------------------------
  // Raises a Lua error: runs the nearest xpcall handler at the error point, then throws.
  [[noreturn]] void raise(Value v);
  // Runs a message handler on an error value (Lua's luaG_errormsg).
  Value apply_message_handler(const Value& handler, Value v);
  // A runtime error (luaG_runerror): position of the running function if it is a Lua one.
  [[noreturn]] void runtime_error(const std::string& msg);
  // A library error (luaL_error): position of the function that called the native.
  [[noreturn]] void lib_error(const std::string& msg);
  [[noreturn]] void arg_error(int arg, const std::string& extra);
  // Lua's value stack holds at most LUAI_MAXSTACK (1,000,000) slots; a native that pushes `n`
  // results needs room for them. The slots already in use are estimated (Lua's count depends on
  // its stack layout), so the limit is matched only within a few dozen values.
  bool has_value_stack_room(std::uint64_t n) const;
  // What the library keeps between calls: collectgarbage's settings, os.exit's close.
  using RandomState = std::array<std::uint64_t, 4>;  // math.random's xoshiro256** state
  struct LibraryState {
    // lua.c runs scripts with the collector in generational mode; collectgarbage("incremental")
    // and ("generational") return the mode they leave.
    const char* gc_mode = "generational";
    bool gc_running = true;  // collectgarbage("stop") / ("restart"), as "isrunning" reports it
    // While os.exit(code, true) closes the main thread's to-be-closed variables (lua_close): no
    // message handler applies, and an error is handed on to the variables closed after it.
    bool closing_state = false;
    Value closing_state_error;
    RandomState random{};
    // string.dump's chunks name a prototype by its number here, for this run's token only.
    std::vector<const Proto*> dumped_protos;
    std::uint64_t dump_token = 0;    // 0 until the first dump
    Value file_meta;                 // io's FILE* metatable (liolib.c's registry entry)
    std::array<Value, 3> std_files;  // io.stdin, stdout, stderr; [0] is also io.input()'s file
    // Lets go of the objects held here (at shutdown, before the heap frees what is left).
    void drop_values() noexcept {
      closing_state_error = Value();
      file_meta = Value();
      std_files = {};
    }
  };
  LibraryState& library_state() { return library_state_; }
  // luaL_checkstack: "stack overflow (MSG)" without room for `n` values.
  void check_value_stack(std::uint64_t n, const char* msg);
  // Stops the script (no pcall catches it): "FILE:LINE: unsupported WHAT", at the innermost Lua
  // code running.
  [[noreturn]] void unsupported(const std::string& what);
  [[noreturn]] void type_error_arg(int arg, const char* expected, const Value* got);
  // "FILE:LINE: " of the function `level` levels up (1 = the caller of the running native), or
  // "" when that is not a Lua function.
  std::string where(int level) const;
  // The position a runtime error of `ci`'s function gets ("" for a native).
  std::string error_position(const CallInfo* ci) const;
  std::string native_name() const;  // the name a "bad argument" message uses

  // ---- C levels (jmpco's nesting machinery) ------------------------------------------------
  // Enters one level for a call from C back into Lua; raises "C stack overflow" at Lua's limit.
  void enter_c_level();
  // lauxlib's luaL_pushresult for a result whose luaL_Buffer needed `peak` bytes at most: past
  // LUAL_BUFFERSIZE the buffer lives in a to-be-closed box, and closing it calls the box's
  // __close from C, one more C level for a moment ("C stack overflow" at Lua's limit).
  void close_buffer_box(std::size_t peak);
  // Lua 5.4.4 recovers a coroutine from an error caught by a yieldable pcall, and closes the
  // variables of a closed or dead coroutine, from lua_resume's or lua_resetthread's frame: the
  // count is back at the coroutine's resume base and the C levels of frames still on its stack
  // are forgotten (they are never taken back off). Moves the running coroutine there.
  void restart_at_resume_base();

  // ---- hooks (debug.sethook) ---------------------------------------------------------------
  // Runs the running thread's hook for `event` ("call", "return", "line", "count", "tail call")
  // as luaD_hook does: not inside a hook, through lua_call (one C level, not yieldable), with
  // the line for a line event (nil otherwise).
  void run_hook(const char* event, int line);

  // ---- values ----------------------------------------------------------------------------
  Value index(const Value& obj, const Value& key, const Expr* obj_expr = nullptr);
  void set_index(const Value& obj, const Value& key, Value v, const Expr* obj_expr = nullptr);
  Value metamethod(const Value& v, const char* event);
  Value metatable_of(const Value& v) const;
  std::string to_display_string(const Value& v);  // tostring() with __tostring/__name
  bool values_equal(const Value& a, const Value& b);
  bool less_than(const Value& a, const Value& b);
  bool less_equal(const Value& a, const Value& b);
  Value arith(BinOp op, const Value& a, const Value& b, const Expr* ea = nullptr,
              const Expr* eb = nullptr);
  Value length(const Value& v, const Expr* e = nullptr);
  Value concat(const Value& a, const Value& b, const Expr* ea = nullptr, const Expr* eb = nullptr);
  bool to_number(const Value& v, Value& out) const;  // numbers and numeric strings
  bool to_integer(const Value& v, std::int64_t& out) const;

  // ---- threads ---------------------------------------------------------------------------
  LuaThread& thread_state() { return *cur_; }
  ThreadObj* current_thread() const { return cur_obj_; }
  ThreadObj* main_thread() const { return main_thread_.thread(); }
  void switch_to_thread(ThreadObj* t) noexcept;
  void release_orphans() noexcept;
  // collectgarbage(): a full collection (gc.cpp), then the finalizers it found due.
  void collect_garbage();
  // Runs the __gc finalizers the heap has queued; errors in them are dropped (lua.c leaves
  // warnings off, so Lua reports nothing either).
  void run_finalizers();
  // lua_close: every object still marked for finalization gets its finalizer.
  void finalize_at_close();
  // Unwinds a coroutine nobody can reach any more (no __close handlers run), then frees it.
  void release_coroutine(Coroutine* co) noexcept;
  // Unwinds a suspended coroutine without running its __close handlers (end of the run).
  void unwind_discarding(Coroutine* co) noexcept;
  void set_stack_limit(std::uintptr_t lowest) { stack_limit_ = lowest; }
  void count_step();

  const options& opts() const { return opts_; }
  std::ostream& out() { return out_; }
  // Where io.stderr writes (the driver's error stream).
  void set_err(std::ostream& err) { err_ = &err; }
  std::ostream& err() {
    assert(err_ != nullptr);
    return *err_;
  }
  Table* globals() { return globals_.table(); }
  Value& string_meta() { return string_meta_; }
  const std::string& script_name() const { return script_name_; }

  // ---- chunks ----------------------------------------------------------------------------
  // A function running `chunk`'s main body, whose _ENV upvalue (a new cell) holds `env`.
  Value new_chunk_function(const Chunk& chunk, Value env);
  // Parses `text` as load does (`source_name`: load's chunkname argument) and keeps the tree for
  // the rest of the run. Returns the chunk's function, or nil with `error` set to the error
  // object (a message handler may have made it any value, see parser_stack_error).
  Value load_text(std::string_view source_name, std::string_view text, Value env, Value& error);

  // Registers a native function in table `t` under `name`.
  Value make_native(NativeFn fn, const char* qualified_name);
  void register_native(Table* t, const char* name, NativeFn fn, const char* qualified_name);

  // ---- to-be-closed variables -------------------------------------------------------------
  // `recovered_at`: the record of the pcall recovering from an error, if that is why they close.
  void close_pending_with(std::vector<Value>& pending, Value& err, bool& failed, bool yieldable,
                          const CallInfo* recovered_at = nullptr);
  void call_close_handler(const Value& v, const Value& err, bool yieldable);

 private:
  // Statement execution.
  Flow exec_block(const Block& b, Frame& fr);
  Flow exec_statements(const Block& b, Frame& fr, std::size_t mark);
  // Leaving a scope drops what its locals held, so that the collector does not see them.
  void clear_slots(Frame& fr, int first, int end);
  void clear_block_slots(const Block& b, Frame& fr);
  Flow exec(const Stmt& s, Frame& fr);
  Flow exec_local(const LocalStmt& s, Frame& fr);
  Flow exec_assign(const AssignStmt& s, Frame& fr);
  Flow exec_if(const IfStmt& s, Frame& fr);
  Flow exec_while(const WhileStmt& s, Frame& fr);
  Flow exec_repeat(const WhileStmt& s, Frame& fr);
  Flow exec_numfor(const NumForStmt& s, Frame& fr);
  bool integer_for_count(std::int64_t init, const Value& limit, std::int64_t step,
                         std::uint64_t& count);
  Flow run_for_body(const NumForStmt& s, Frame& fr, Value control, bool another, bool& stop);
  Flow exec_genfor(const GenForStmt& s, Frame& fr);
  Flow exec_return(const ReturnStmt& s, Frame& fr);
  void unwind_block(Frame& fr, std::size_t mark, const std::exception_ptr& failure);
  void close_block(Frame& fr, std::size_t mark);
  // coroutine.close is unwinding the running coroutine: closes `pending` (innermost first) as
  // part of it, unless the coroutine is being discarded.
  void close_for_coroutine_close(std::vector<Value>& pending);
  void declare_local(const VarInfo* v, Frame& fr, Value value);

  // Hooks between statements (interp_hook.cpp), luaG_traceexec's part: a count event every
  // `count` statements and loop steps, a line event when control reaches a new line or jumps
  // back. Each is called only while the thread has a hook installed.
  bool tracing() const { return (cur_->hook.mask & HookState::kTrace) != 0; }
  void trace_statement(const Stmt& s, Frame& fr);
  // A point of code at `line` (a statement, a loop's test, a closure, a call; 0: no line): counts
  // one step when `counts`, and reports the line if it is not the current one or `jumped_back`.
  void trace_point(Frame& fr, int line, bool counts, bool jumped_back);
  // Sets the line the running Lua code is at; a line event when it changes under a line hook.
  void at_line(Frame& fr, int line);
  // The next line reached is reported even if it is the current one (a loop jumped back).
  void jump_back(Frame& fr);
  // Call and return events of a Lua function (luaD_hookcall, rethook).
  void hook_lua_call(Frame& fr, bool is_tail);
  void hook_lua_return(Frame& fr, Flow flow);

  // Expression evaluation.
  Value eval(const Expr& e, Frame& fr);
  void eval_multi(const Expr& e, Frame& fr, Values& out);
  void eval_list(const std::vector<ExprPtr>& list, Frame& fr, Values& out);
  void eval_call(const CallExpr& c, Frame& fr, Values& out);
  void prepare_call(const CallExpr& c, Frame& fr, Value& fn, Values& args);
  Value eval_binary(const BinaryExpr& e, Frame& fr);
  Value eval_unary(const UnaryExpr& e, Frame& fr);
  Value eval_table(const TableExpr& e, Frame& fr);
  Value make_closure(const Proto& p, Frame& fr);
  Value read_local(const VarInfo* v, Frame& fr);
  void assign(const Expr& target, const Value* obj, const Value* key, Value v, int line, Frame& fr);

  void call_lua(Function* fn, Values args, Values& out, const CallSiteName* site, bool from_lua);
  void call_native(Function* fn, Values args, Values& out, const CallSiteName* site, bool from_lua);
  [[noreturn]] void call_error(const Value& f, const Expr* callee,
                               const CallSiteName* site = nullptr);
  // Where the function of a call lands on the Lua stack (the caller's register for it).
  long call_position(const CallSiteName* site) const;
  // A call needs the Lua stack up to `top` (and C++ stack): "stack overflow" beyond the limits,
  // once; then the handler runs in the extra room.
  void check_stack(long top, int lua_depth);

 public:
  // A protected call caught an error: Lua shrinks the stack back (luaD_shrinkstack) unless the
  // frames still active use the extra room themselves.
  void leave_error_room();

 private:
  // load's message for a chunk nested too deeply (see ParserStackError).
  Value parser_stack_error(const ParserStackError& e);
  Value try_binary_metamethod(const Value& a, const Value& b, const char* event, bool& found);
  [[noreturn]] void arith_error(BinOp op, const Value& a, const Value& b, const Expr* ea,
                                const Expr* eb);
  [[noreturn]] void compare_error(const Value& a, const Value& b);
  std::string describe(const Expr* e) const;

  Heap heap_;                // first: destroyed last, after every Value member below
  std::string script_name_;  // as given, for arg[0]
  std::ostream& out_;
  std::ostream* err_ = nullptr;
  options opts_;
  LibraryState library_state_;
  Value globals_;
  Value string_meta_;
  Value main_thread_;
  LuaThread* cur_ = nullptr;
  ThreadObj* cur_obj_ = nullptr;
  std::uint64_t steps_ = 0;
  std::uintptr_t stack_limit_ = 0;  // below this address the interpreter stops recursing
  bool shut_down_ = false;
  // The trees of the chunks load made; their strings live outside the heap, as the main chunk's
  // do, and go only after it (see ~Interp).
  std::vector<Chunk> loaded_chunks_;
};

// The string library's arithmetic metamethods (numeric strings take part in arithmetic).
void string_arith(Interp& in, CallArgs& args, BinOp op, const char* event);

// Library registration (lib_*.cpp).
void open_base(Interp& in);
void open_string(Interp& in);
// string.find, match, gmatch and gsub (lib_pattern.cpp), into the string table.
void open_string_patterns(Interp& in, Table* string_table);
void open_table(Interp& in);
void open_math(Interp& in);
void open_io(Interp& in);
void open_coroutine(Interp& in);
void open_package(Interp& in);              // load, require, package: after the other libraries
void open_debug(Interp& in, Table* debug);  // into the debug table open_base made
// luaL_traceback: "MSG\n" (when given), then "stack traceback:" and the levels of `thread` from
// `level` on.
std::string traceback_text(Interp& in, ThreadObj* thread, const std::string* msg,
                           std::int64_t level);

}  // namespace replay

#endif  // JMPCO_REPLAY_INTERP_HPP
