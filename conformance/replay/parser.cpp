// SPDX-License-Identifier: MIT
#include "parser.hpp"

#include <algorithm>
#include <cassert>
#include <memory>
#include <string>
#include <vector>

#include "lexer.hpp"
#include "lua_limits.hpp"

namespace replay {

namespace {

// Lua's limits that a script can run into while being parsed (and kMaxCCalls, lua_limits.hpp).
constexpr unsigned kParserBaseLevel = 1;  // lua.c parses inside one protected call
constexpr int kMaxLocals = 200;           // MAXVARS
constexpr int kMaxUpvalues = 255;         // MAXUPVAL
constexpr int kMaxRegisters = 255;        // MAXREGS
constexpr int kListItemsPerFlush = 50;    // LFIELDS_PER_FLUSH: pending list items of a constructor

struct Priority {
  int left;
  int right;  // below `left`: right associative
};

// A binary operator as the expression parser sees it: `and`/`or` are expressions of their own
// kind (their `op` is unused).
struct BinaryOperator {
  Tok type;
  char ch;  // for Tok::Char
  BinOp op;
  ExprKind kind;
  Priority prio;
};

// Lua's binary operators and their priorities (the table of lparser.c's subexpr).
constexpr BinaryOperator kBinaryOperators[] = {
    {Tok::Or, 0, BinOp::Eq, ExprKind::Or, {1, 1}},
    {Tok::And, 0, BinOp::Eq, ExprKind::And, {2, 2}},
    {Tok::Char, '<', BinOp::Lt, ExprKind::Binary, {3, 3}},
    {Tok::Char, '>', BinOp::Gt, ExprKind::Binary, {3, 3}},
    {Tok::Le, 0, BinOp::Le, ExprKind::Binary, {3, 3}},
    {Tok::Ge, 0, BinOp::Ge, ExprKind::Binary, {3, 3}},
    {Tok::Eq, 0, BinOp::Eq, ExprKind::Binary, {3, 3}},
    {Tok::Ne, 0, BinOp::Ne, ExprKind::Binary, {3, 3}},
    {Tok::Char, '|', BinOp::BOr, ExprKind::Binary, {4, 4}},
    {Tok::Char, '~', BinOp::BXor, ExprKind::Binary, {5, 5}},
    {Tok::Char, '&', BinOp::BAnd, ExprKind::Binary, {6, 6}},
    {Tok::Shl, 0, BinOp::Shl, ExprKind::Binary, {7, 7}},
    {Tok::Shr, 0, BinOp::Shr, ExprKind::Binary, {7, 7}},
    {Tok::Concat, 0, BinOp::Concat, ExprKind::Binary, {9, 8}},
    {Tok::Char, '+', BinOp::Add, ExprKind::Binary, {10, 10}},
    {Tok::Char, '-', BinOp::Sub, ExprKind::Binary, {10, 10}},
    {Tok::Char, '*', BinOp::Mul, ExprKind::Binary, {11, 11}},
    {Tok::Char, '/', BinOp::Div, ExprKind::Binary, {11, 11}},
    {Tok::IDiv, 0, BinOp::IDiv, ExprKind::Binary, {11, 11}},
    {Tok::Char, '%', BinOp::Mod, ExprKind::Binary, {11, 11}},
    {Tok::Char, '^', BinOp::Pow, ExprKind::Binary, {14, 13}},
};

// The binary operator token `t` is, or null.
const BinaryOperator* binary_operator(const Token& t) {
  for (const BinaryOperator& o : kBinaryOperators)
    if (o.type == t.type && (t.type != Tok::Char || o.ch == t.ch)) return &o;
  return nullptr;
}

constexpr int kUnaryPriority = 12;

struct LabelDecl {
  std::string name;
  int line;
  std::size_t index;          // the statement it stands before
  std::size_t active;         // locals in scope at the label
  std::size_t closes_before;  // to-be-closed variables of the block declared before it
};

struct PendingGoto {
  GotoStmt* stmt;
  std::size_t active;  // locals in scope at the goto (or where it left its block)
};

struct BlockScope {
  std::size_t active_at_start = 0;
  bool is_loop = false;
  bool inside_tbc = false;
  int block_id = -1;  // the statement list parsed in this scope, if any
  std::size_t closes = 0;
  std::vector<LabelDecl> labels;
  std::vector<PendingGoto> pending;  // forward gotos not matched yet
};

// Per-function parse state.
struct FuncState {
  FuncState* parent = nullptr;
  std::shared_ptr<Proto> proto;
  std::vector<VarInfo*> active;
  std::vector<BlockScope> blocks;
  int loop_depth = 0;
  int declared = 0;        // locals declared by the statement being parsed, not yet active
  int loop_registers = 0;  // registers of the enclosing for loops' control state
  int temporaries = 0;     // registers the statement being parsed holds (see reserve_registers)
};

class Parser {
 public:
  // `lua_source` is Lua's name of the chunk's source (debug.getinfo's `source`): "@FILE",
  // "=NAME" or the text itself.
  Parser(std::string_view chunkname, std::string lua_source, std::string_view source,
         unsigned base_level)
      : lex_(chunkname, source), lua_source_(std::move(lua_source)), level_(base_level) {}

  Chunk parse_main() {
    Chunk chunk;
    FuncState fs;
    fs.proto = std::make_shared<Proto>();
    fs.proto->is_main = true;
    fs.proto->is_vararg = true;
    fs.proto->name = "main chunk";
    fs.proto->chunkname = lex_.chunkname();
    fs.proto->source = lua_source_;
    fs.proto->upvalues.push_back({"_ENV", false, 0, true});  // lparser.c's mainfunc
    open_function(fs);
    lex_.next();
    enter_block(false);
    fs.proto->body = parse_statements();
    leave_block();
    if (lex_.current().type != Tok::Eof) lex_.error_near("<eof> expected");
    close_function();
    chunk.main = fs.proto;
    return chunk;
  }

 private:
  // ---- helpers ----------------------------------------------------------------------------
  const Token& tok() const { return lex_.current(); }
  bool is_char(char c) const { return tok().type == Tok::Char && tok().ch == c; }
  bool test_char(char c) {
    if (!is_char(c)) return false;
    lex_.next();
    return true;
  }
  bool test(Tok t) {
    if (tok().type != t) return false;
    lex_.next();
    return true;
  }
  void check_char(char c) {
    if (!test_char(c)) lex_.error_near(Lexer::token_name(Tok::Char, c) + " expected");
  }
  void check(Tok t) {
    if (!test(t)) lex_.error_near(Lexer::token_name(t) + " expected");
  }
  // Lua's check_match: names the opening token when it is on another line.
  void check_match(Tok what, char what_ch, Tok who, char who_ch, int where) {
    bool ok = what == Tok::Char ? test_char(what_ch) : test(what);
    if (ok) return;
    std::string expected = Lexer::token_name(what, what_ch);
    if (where == lex_.line()) lex_.error_near(expected + " expected");
    lex_.error_near(expected + " expected (to close " + Lexer::token_name(who, who_ch) +
                    " at line " + std::to_string(where) + ")");
  }
  std::string check_name() {
    if (tok().type != Tok::Name) lex_.error_near("<name> expected");
    std::string n = tok().text;
    lex_.next();
    return n;
  }
  bool block_follow(bool with_until) const {
    switch (tok().type) {
      case Tok::Else:
      case Tok::Elseif:
      case Tok::End:
      case Tok::Eof:
        return true;
      case Tok::Until:
        return with_until;
      default:
        return false;
    }
  }

  // Lua's enterlevel (luaE_incCstack): every statement, every subexpression and every target of
  // an assignment after the first is one level; the levels a guard entered are left with it.
  class Levels {
   public:
    explicit Levels(Parser& p) : parser_(p) {}
    Levels(const Levels&) = delete;
    Levels& operator=(const Levels&) = delete;
    ~Levels() { parser_.level_ -= entered_; }
    void enter() {
      const unsigned level = ++parser_.level_;
      ++entered_;
      if (level == kMaxCCalls) throw ParserStackError("C stack overflow", level, true);
      if (level >= kErrorHandlingCCalls)
        throw ParserStackError("error in error handling", level, false);
    }

   private:
    Parser& parser_;
    unsigned entered_ = 0;
  };
  struct LevelGuard {
    explicit LevelGuard(Parser& p) : levels(p) { levels.enter(); }
    Levels levels;
  };

  // ---- scopes -----------------------------------------------------------------------------
  void open_function(FuncState& fs) {
    fs.parent = fs_;
    fs_ = &fs;
  }
  void close_function() { fs_ = fs_->parent; }

  void enter_block(bool is_loop) {
    bool inside_tbc = !fs_->blocks.empty() && fs_->blocks.back().inside_tbc;
    BlockScope scope;
    scope.active_at_start = fs_->active.size();
    scope.is_loop = is_loop;
    scope.inside_tbc = inside_tbc;
    fs_->blocks.push_back(std::move(scope));
    if (is_loop) ++fs_->loop_depth;
  }
  // Gotos still looking for their label continue in the enclosing block, at its level (Lua's
  // movegotosout); at the end of the function they have none.
  void leave_block() {
    BlockScope b = std::move(fs_->blocks.back());
    fs_->blocks.pop_back();
    fs_->active.resize(b.active_at_start);
    if (b.is_loop) --fs_->loop_depth;
    for (PendingGoto& g : b.pending) {
      if (fs_->blocks.empty())
        lex_.error_plain("no visible label '" + g.stmt->label + "' for <goto> at line " +
                             std::to_string(g.stmt->line),
                         lex_.line());
      g.active = std::min(g.active, b.active_at_start);
      fs_->blocks.back().pending.push_back(g);
    }
  }

  // Lua counts a local against the limit as soon as it is declared, the hidden control variables
  // of the enclosing for loops included.
  void check_local_room(int n) {
    if (static_cast<int>(fs_->active.size()) + fs_->loop_registers + fs_->declared + n <=
        kMaxLocals)
      return;
    std::string where = fs_->proto->is_main
                            ? "main function"
                            : "function at line " + std::to_string(fs_->proto->line);
    lex_.error_near("too many local variables (limit is " + std::to_string(kMaxLocals) + ") in " +
                    where);
  }

  VarInfo* new_local(const std::string& name, int line) {
    check_local_room(1);
    ++fs_->declared;
    Proto& p = *fs_->proto;
    auto v = std::make_unique<VarInfo>();
    v->name = name;
    v->line = line;
    VarInfo* raw = v.get();
    p.vars.push_back(std::move(v));
    return raw;
  }
  // Makes declared locals visible (Lua's adjustlocalvars): slots follow the active ones.
  void activate(VarInfo* v) {
    --fs_->declared;
    v->slot = static_cast<int>(fs_->active.size());
    fs_->active.push_back(v);
    if (static_cast<int>(fs_->active.size()) > fs_->proto->frame_size)
      fs_->proto->frame_size = static_cast<int>(fs_->active.size());
    need_stack(first_free_register() + 1);
  }
  // Lua's first free register, without the temporaries of the expression being parsed.
  int first_free_register() const {
    return static_cast<int>(fs_->active.size()) + fs_->loop_registers;
  }
  // ---- registers: lcode.c's freereg, for its limit of kMaxRegisters per function --------------
  // Counted: the locals (a compile-time constant has none), the for loops' control registers,
  // and the temporaries Lua reserves for calls (the function, self, each argument), expression
  // lists (each value but the last), table constructors (the table, its pending list items) and
  // the operands an operator holds while its right side is read. Not counted: the registers a
  // variable, an index or an operand other than a call takes on the way; so the count is never
  // above Lua's, and a chunk fails here only where lua5.4 fails too.
  int registers_in_use() const {
    const auto locals = std::count_if(fs_->active.begin(), fs_->active.end(),
                                      [](const VarInfo* v) { return !v->compile_time_constant; });
    return static_cast<int>(locals) + fs_->loop_registers + fs_->temporaries;
  }
  // luaK_checkstack: room for `n` more registers, checked at the token where Lua checks.
  void check_register_room(int n) {
    if (registers_in_use() + n >= kMaxRegisters)
      lex_.error_near("function or expression needs too many registers");
  }
  // luaK_reserveregs.
  void reserve_registers(int n) {
    check_register_room(n);
    fs_->temporaries += n;
  }
  // freeexp: what an expression held above `mark` is free once its value has gone elsewhere.
  void free_registers_to(int mark) { fs_->temporaries = std::min(fs_->temporaries, mark); }
  // luaK_exp2nextreg: the value at `index` of a list starting at register `mark` goes there.
  void to_next_register(int mark, std::size_t index) {
    free_registers_to(mark + static_cast<int>(index));
    reserve_registers(1);
  }
  // adjust_assign: a list of `values` from register `mark` on gives `wanted` values: the last one
  // goes to its register (`...` gets one; an open call's results are in place), missing ones get
  // registers too, extra ones are dropped.
  void adjust_values(const std::vector<ExprPtr>& values, int mark, std::size_t wanted) {
    if (!values.empty() && !is_open_call(*values.back())) to_next_register(mark, values.size() - 1);
    if (wanted > values.size()) reserve_registers(static_cast<int>(wanted - values.size()));
    free_registers_to(mark + static_cast<int>(wanted));
  }
  // luaK_exp2anyregup before a '.' or '[': a global or a field read goes to a register of its own
  // (a local or upvalue is read where it is; an index of a call result reuses the call's).
  void index_prefix_to_register(const Expr& prefix, int mark) {
    free_registers_to(mark);
    if (prefix.kind == ExprKind::Global || prefix.kind == ExprKind::Index || is_open_call(prefix))
      reserve_registers(1);
  }
  // luaK_indexed, once the ']' is read: a global or field read as the key goes to a register; a
  // call's result stays in its own.
  void index_key_to_register(const Expr& key, int mark) {
    free_registers_to(is_open_call(key) ? mark + 1 : mark);
    if (key.kind == ExprKind::Global || key.kind == ExprKind::Index) reserve_registers(1);
  }
  static bool is_open_call(const Expr& e) {
    return e.kind == ExprKind::Call || e.kind == ExprKind::Method;
  }
  // An expression whose value is an open call or `...` (Lua's hasmultret).
  static bool is_multiple_results(const Expr& e) {
    return is_open_call(e) || e.kind == ExprKind::Vararg;
  }

  void need_stack(int slots) { fs_->proto->max_stack = std::max(fs_->proto->max_stack, slots); }
  // The control registers of a for loop (Lua 5.4: three for a numeric loop, four for a generic
  // one) are live while its body is parsed.
  struct LoopRegisters {
    LoopRegisters(Parser& p, int n) : parser(p), count(n) {
      parser.fs_->loop_registers += count;
      parser.need_stack(parser.first_free_register());
    }
    ~LoopRegisters() { parser.fs_->loop_registers -= count; }
    Parser& parser;
    int count;
  };

  static VarInfo* find_local(FuncState* fs, const std::string& name) {
    for (auto it = fs->active.rbegin(); it != fs->active.rend(); ++it)
      if ((*it)->name == name) return *it;
    return nullptr;
  }

  int find_upvalue(FuncState* fs, const std::string& name) {
    auto& ups = fs->proto->upvalues;
    for (std::size_t i = 0; i < ups.size(); ++i)
      if (ups[i].name == name) return static_cast<int>(i);
    if (fs->parent == nullptr) return -1;
    Proto::UpvalueDesc desc{name, true, 0};
    if (VarInfo* v = find_local(fs->parent, name)) {
      v->captured = true;
      desc.index = v->slot;
    } else {
      int outer = find_upvalue(fs->parent, name);
      if (outer < 0) return -1;
      desc.from_parent_local = false;
      desc.index = outer;
      desc.chunk_env = fs->parent->proto->upvalues[static_cast<std::size_t>(outer)].chunk_env;
    }
    if (static_cast<int>(ups.size()) >= kMaxUpvalues) {
      std::string where = fs->proto->is_main
                              ? "main function"
                              : "function at line " + std::to_string(fs->proto->line);
      lex_.error_near("too many upvalues (limit is " + std::to_string(kMaxUpvalues) + ") in " +
                      where);
    }
    ups.push_back(desc);
    return static_cast<int>(ups.size()) - 1;
  }

  // The compile-time constant `name` refers to from inside fs (through enclosing functions), or
  // null when it names anything else.
  static const VarInfo* find_compile_time_constant(FuncState* fs, const std::string& name) {
    for (; fs != nullptr; fs = fs->parent) {
      if (const VarInfo* v = find_local(fs, name)) return v->compile_time_constant ? v : nullptr;
      for (const Proto::UpvalueDesc& up : fs->proto->upvalues)
        if (up.name == name) return nullptr;
    }
    return nullptr;
  }

  static ExprPtr constant_use(const VarInfo* v, int line) {
    const Value& k = v->constant;
    ExprPtr e;
    if (k.is_nil()) {
      e = std::make_unique<Expr>(ExprKind::Nil, line);
    } else if (k.is_boolean()) {
      e = std::make_unique<Expr>(k.truthy() ? ExprKind::True : ExprKind::False, line);
    } else {
      const ExprKind kind = k.is_int()     ? ExprKind::Int
                            : k.is_float() ? ExprKind::Float
                                           : ExprKind::Str;
      e = std::make_unique<ConstExpr>(kind, line, k);
    }
    e->constant_of = v;
    return e;
  }

  // luaK_exp2const: literals, other compile-time constants, and a folded unary minus (Lua folds
  // no float result of 0.0, to keep -0.0 out of its constant table).
  static bool constant_value(const Expr& e, Value& out) {
    switch (e.kind) {
      case ExprKind::Nil:
        out = Value();
        return true;
      case ExprKind::True:
        out = Value::boolean(true);
        return true;
      case ExprKind::False:
        out = Value::boolean(false);
        return true;
      case ExprKind::Int:
      case ExprKind::Float:
      case ExprKind::Str:
        out = static_cast<const ConstExpr&>(e).value;
        return true;
      case ExprKind::Paren:
        return constant_value(*static_cast<const ParenExpr&>(e).inner, out);
      case ExprKind::Unary: {
        const auto& u = static_cast<const UnaryExpr&>(e);
        Value v;
        if (u.op != UnOp::Neg || !constant_value(*u.operand, v)) return false;
        if (v.is_int()) {
          out = Value::integer(
              static_cast<std::int64_t>(0u - static_cast<std::uint64_t>(v.as_int())));
          return true;
        }
        if (!v.is_float() || v.as_float() == 0.0) return false;
        out = Value::number(-v.as_float());
        return true;
      }
      default:
        return false;
    }
  }

  // A declared variable (local, constant or upvalue) named `name`, or null.
  ExprPtr resolve_declared(const std::string& name, int line) {
    if (const VarInfo* k = find_compile_time_constant(fs_, name)) return constant_use(k, line);
    if (VarInfo* v = find_local(fs_, name)) return std::make_unique<LocalExpr>(line, v);
    int up = find_upvalue(fs_, name);
    if (up >= 0) return std::make_unique<UpvalueExpr>(line, up, name);
    return nullptr;
  }

  // Lua's singlevar: a free name is a field of whichever _ENV is visible. Resolving `_ENV` also
  // lists it among the upvalues where Lua does; the chunk's own _ENV is read directly.
  ExprPtr resolve_name(const std::string& name, int line) {
    const bool is_env = name == "_ENV";
    if (!is_env)
      if (ExprPtr declared = resolve_declared(name, line)) return declared;
    ExprPtr env = resolve_declared("_ENV", line);
    assert(env != nullptr);  // at worst the main function's upvalue
    if (is_chunk_env(*env))
      return is_env ? ExprPtr(std::make_unique<EnvExpr>(line))
                    : ExprPtr(std::make_unique<GlobalExpr>(line, name));
    if (is_env) return env;
    return std::make_unique<IndexExpr>(
        line, std::move(env),
        std::make_unique<ConstExpr>(ExprKind::Str, line, Value::string(name)));
  }

  bool is_chunk_env(const Expr& e) const {
    if (e.kind != ExprKind::Upvalue) return false;
    const auto index = static_cast<std::size_t>(static_cast<const UpvalueExpr&>(e).index);
    return fs_->proto->upvalues[index].chunk_env;
  }

  // ---- statements -------------------------------------------------------------------------
  Block parse_statements() {
    Block block;
    block.id = next_block_id_++;
    block.first_slot = static_cast<int>(fs_->active.size());
    fs_->blocks.back().block_id = block.id;
    while (!block_follow(true)) {
      if (tok().type == Tok::Return) {
        block.stmts.push_back(parse_statement(block));
        break;
      }
      StmtPtr s = parse_statement(block);
      if (s) block.stmts.push_back(std::move(s));
    }
    block.close_line = lex_.last_line();
    block.slot_end = fs_->proto->frame_size;
    return block;
  }

  Block parse_block(bool is_loop) {
    enter_block(is_loop);
    Block b = parse_statements();
    leave_block();
    return b;
  }

  StmtPtr parse_statement(Block& block) {
    LevelGuard level(*this);
    // A statement starts and ends with only the locals' registers in use.
    struct FreeTemporaries {
      FuncState* fs;
      ~FreeTemporaries() { fs->temporaries = 0; }
    } free_after{fs_};
    fs_->temporaries = 0;
    int line = lex_.line();
    switch (tok().type) {
      case Tok::Char:
        if (is_char(';')) {
          lex_.next();
          return nullptr;
        }
        break;
      case Tok::If:
        return parse_if(line);
      case Tok::While:
        return parse_while(line);
      case Tok::Do: {
        lex_.next();
        auto s = std::make_unique<DoStmt>(line);
        s->body = parse_block(false);
        check_match(Tok::End, 0, Tok::Do, 0, line);
        return s;
      }
      case Tok::For:
        return parse_for(line);
      case Tok::Repeat:
        return parse_repeat(line);
      case Tok::Function:
        return parse_function_stat(line);
      case Tok::Local:
        lex_.next();
        if (test(Tok::Function)) return parse_local_function(line);
        return parse_local(line, block);
      case Tok::DbColon:
        parse_label(block);
        return nullptr;
      case Tok::Return: {
        lex_.next();
        return parse_return(line);
      }
      case Tok::Break: {
        lex_.next();
        if (fs_->loop_depth == 0)
          lex_.error_plain("break outside loop at line " + std::to_string(line), lex_.line());
        return std::make_unique<GotoStmt>(StmtKind::Break, line);
      }
      case Tok::Goto:
        return parse_goto(line);
      default:
        break;
    }
    return parse_expr_stat(line);
  }

  // ::name:: (Lua's labelstat). A label followed only by void statements up to the end of its
  // block is outside the scope of the block's locals, so a goto may jump to it past them.
  void parse_label(Block& block) {
    const int line = lex_.line();
    lex_.next();  // '::'
    std::string name = check_name();
    check(Tok::DbColon);
    while (is_char(';') || tok().type == Tok::DbColon) {
      if (is_char(';'))
        lex_.next();
      else
        parse_label(block);
    }
    for (const BlockScope& scope : fs_->blocks)
      for (const LabelDecl& l : scope.labels)
        if (l.name == name)
          lex_.error_plain("label '" + name + "' already defined on line " + std::to_string(l.line),
                           lex_.line());
    const int label_end_line = lex_.last_line();
    BlockScope& scope = fs_->blocks.back();
    const bool last = block_follow(false);
    LabelDecl label{name, line, block.stmts.size(),
                    last ? scope.active_at_start : fs_->active.size(), scope.closes};
    scope.labels.push_back(label);
    // Forward gotos of this block that were waiting for it.
    auto& pending = scope.pending;
    for (std::size_t i = 0; i < pending.size();) {
      if (pending[i].stmt->label != name) {
        ++i;
        continue;
      }
      if (pending[i].active < label.active)
        lex_.error_plain("<goto " + name + "> at line " + std::to_string(pending[i].stmt->line) +
                             " jumps into the scope of local '" +
                             fs_->active[pending[i].active]->name + "'",
                         lex_.line());
      aim(*pending[i].stmt, scope, label);
      pending[i].stmt->close_line = label_end_line;
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }

  static void aim(GotoStmt& g, const BlockScope& scope, const LabelDecl& label) {
    g.target_block = scope.block_id;
    g.target_index = label.index;
    g.target_closes = label.closes_before;
  }

  StmtPtr parse_goto(int line) {
    lex_.next();
    auto s = std::make_unique<GotoStmt>(StmtKind::Goto, line);
    s->close_line = line;  // until a label ahead claims it
    s->label = check_name();
    // A label already seen in this or an enclosing block: a backward jump.
    for (auto scope = fs_->blocks.rbegin(); scope != fs_->blocks.rend(); ++scope) {
      for (const LabelDecl& l : scope->labels) {
        if (l.name == s->label) {
          aim(*s, *scope, l);
          return s;
        }
      }
    }
    fs_->blocks.back().pending.push_back(PendingGoto{s.get(), fs_->active.size()});
    return s;
  }

  StmtPtr parse_if(int line) {
    auto s = std::make_unique<IfStmt>(line);
    do {  // 'if' or 'elseif'
      lex_.next();
      s->conds.push_back(parse_expr());
      check(Tok::Then);
      settle_index_line(*s->conds.back());
      s->blocks.push_back(parse_block(false));
    } while (tok().type == Tok::Elseif);
    if (test(Tok::Else)) {
      s->has_else = true;
      s->else_block = parse_block(false);
    }
    check_match(Tok::End, 0, Tok::If, 0, line);
    return s;
  }

  StmtPtr parse_while(int line) {
    lex_.next();
    auto s = std::make_unique<WhileStmt>(StmtKind::While, line);
    s->cond = parse_expr();
    check(Tok::Do);
    s->body = parse_block(true);
    check_match(Tok::End, 0, Tok::While, 0, line);
    s->break_line = lex_.last_line();
    return s;
  }

  StmtPtr parse_repeat(int line) {
    lex_.next();
    auto s = std::make_unique<WhileStmt>(StmtKind::Repeat, line);
    enter_block(true);  // the condition sees the body's locals
    s->body = parse_statements();
    check_match(Tok::Until, 0, Tok::Repeat, 0, line);
    s->cond = parse_expr();
    s->body.close_line = s->break_line = lex_.last_line();
    leave_block();
    return s;
  }

  StmtPtr parse_for(int line) {
    lex_.next();
    int name_line = lex_.line();
    std::string first = check_name();
    // forstat declares the loop's control variables (three or four) and its first name here
    if (is_char('=')) {
      check_local_room(3 + 1);
      return parse_numeric_for(line, first, name_line);
    }
    if (is_char(',') || tok().type == Tok::In) {
      check_local_room(4 + 1);
      return parse_generic_for(line, first, name_line);
    }
    lex_.error_near("'=' or 'in' expected");
  }

  StmtPtr parse_numeric_for(int line, const std::string& name, int name_line) {
    lex_.next();  // '='
    auto s = std::make_unique<NumForStmt>(line);
    // Lua's exp1: each value to its register (a missing step too: 1)
    const int mark = fs_->temporaries;
    s->start = parse_expr();
    to_next_register(mark, 0);
    check_char(',');
    s->limit = parse_expr();
    to_next_register(mark, 1);
    if (test_char(',')) s->step = parse_expr();
    to_next_register(mark, 2);
    s->prep_line = tok().line;
    check(Tok::Do);
    enter_block(true);
    LoopRegisters control(*this, 3);
    s->var = new_local(name, name_line);
    activate(s->var);
    s->body = parse_block(false);
    leave_block();
    check_match(Tok::End, 0, Tok::For, 0, line);
    s->break_line = lex_.last_line();
    return s;
  }

  StmtPtr parse_generic_for(int line, const std::string& first, int name_line) {
    auto s = std::make_unique<GenForStmt>(line);
    std::vector<std::string> names{first};
    while (test_char(',')) {
      names.push_back(check_name());
      check_local_room(4 + static_cast<int>(names.size()));
    }
    check(Tok::In);
    s->call_line = tok().line;
    const int mark = fs_->temporaries;
    s->exprs = parse_expr_list();
    adjust_values(s->exprs, mark, 4);  // the loop's function, state, control and closing values
    check_register_room(3);            // forlist: room for the call of the iterator
    s->prep_line = tok().line;
    check(Tok::Do);
    enter_block(true);
    // The loop's fourth value is a to-be-closed variable whatever it holds (Lua's forlist marks
    // the loop's scope), so no `return f()` inside the loop is a tail call: it is closed after.
    fs_->blocks.back().inside_tbc = true;
    LoopRegisters control(*this, 4);
    for (const std::string& n : names) s->vars.push_back(new_local(n, name_line));
    for (VarInfo* v : s->vars) activate(v);
    s->body = parse_block(false);
    leave_block();
    check_match(Tok::End, 0, Tok::For, 0, line);
    s->break_line = lex_.last_line();
    return s;
  }

  StmtPtr parse_function_stat(int line) {
    lex_.next();
    // funcname: Name {'.' Name} [':' Name]
    int name_line = lex_.line();
    std::string name = check_name();
    ExprPtr target = resolve_name(name, name_line);
    std::string full = name;
    bool is_method = false;
    while (is_char('.') || is_char(':')) {
      is_method = is_char(':');
      lex_.next();
      int key_line = lex_.line();
      std::string key = check_name();
      full += (is_method ? ":" : ".") + key;
      target = std::make_unique<IndexExpr>(
          key_line, std::move(target),
          std::make_unique<ConstExpr>(ExprKind::Str, key_line, Value::string(key)));
      if (is_method) break;
    }
    ExprPtr body = parse_body(is_method, line);
    reserve_registers(1);  // codeclosure: the closure to the next register
    // `function NAME` of a <const> local fails as an assignment would (after the body, as Lua).
    check_assignable(*target);
    auto s = std::make_unique<AssignStmt>(line);
    s->store_line = lex_.last_line();
    s->definition_line = line;
    s->targets.push_back(std::move(target));
    s->values.push_back(std::move(body));
    return s;
  }

  StmtPtr parse_local_function(int line) {
    auto s = std::make_unique<LocalFunctionStmt>(line);
    int name_line = lex_.line();
    s->var = new_local(check_name(), name_line);
    activate(s->var);  // visible inside its own body, for recursion
    // the closure goes to the local's own register, counted already
    s->function = parse_body(false, line);
    return s;
  }

  Attrib parse_attrib() {
    if (!test_char('<')) return Attrib::None;
    std::string attr = check_name();
    check_char('>');
    if (attr == "const") return Attrib::Const;
    if (attr == "close") return Attrib::Close;
    lex_.error_plain("unknown attribute '" + attr + "'", lex_.line());
  }

  StmtPtr parse_local(int line, Block& block) {
    auto s = std::make_unique<LocalStmt>(line);
    int close_count = 0;
    do {
      int name_line = lex_.line();
      VarInfo* v = new_local(check_name(), name_line);
      v->attrib = parse_attrib();
      if (v->attrib == Attrib::Close && ++close_count > 1)
        lex_.error_plain("multiple to-be-closed variables in local list", lex_.line());
      s->vars.push_back(v);
    } while (test_char(','));
    const int mark = fs_->temporaries;
    if (test_char('=')) s->values = parse_expr_list();
    s->check_line = lex_.last_line();
    VarInfo* last = s->vars.back();  // only the last variable can become a constant, as in Lua
    Value k;
    if (s->vars.size() == s->values.size() && last->attrib == Attrib::Const &&
        constant_value(*s->values.back(), k)) {
      last->compile_time_constant = true;
      last->constant = k;
    } else {
      adjust_values(s->values, mark, s->vars.size());
    }
    free_registers_to(mark);  // the values' registers are the new locals' from here on
    for (VarInfo* v : s->vars) activate(v);
    if (close_count > 0) {
      block.has_close = true;
      fs_->blocks.back().inside_tbc = true;
      ++fs_->blocks.back().closes;
    }
    return s;
  }

  StmtPtr parse_return(int line) {
    auto s = std::make_unique<ReturnStmt>(line);
    const int mark = fs_->temporaries;
    if (!block_follow(true) && !is_char(';')) s->values = parse_expr_list();
    // more than one value (or `...`): in consecutive registers; a single one stays where it is
    if (s->values.size() > 1 || (s->values.size() == 1 && s->values[0]->kind == ExprKind::Vararg))
      adjust_values(s->values, mark, 0);
    s->close_line = lex_.last_line();
    test_char(';');  // whatever follows is the enclosing block's to reject ('end' expected...)
    bool inside_tbc = !fs_->blocks.empty() && fs_->blocks.back().inside_tbc;
    s->tail_call = s->values.size() == 1 && !inside_tbc &&
                   (s->values[0]->kind == ExprKind::Call || s->values[0]->kind == ExprKind::Method);
    return s;
  }

  StmtPtr parse_expr_stat(int line) {
    ExprPtr first = parse_suffixed();
    if (is_char('=') || is_char(',')) return parse_assignment(line, std::move(first));
    if (first->kind != ExprKind::Call && first->kind != ExprKind::Method)
      lex_.error_near("syntax error");
    return std::make_unique<CallStmt>(line, std::move(first));
  }

  // Lua's restassign recurses once per target after the first, one level deeper each time,
  // entered before that target is checked; the values are parsed at the deepest level.
  StmtPtr parse_assignment(int line, ExprPtr first) {
    auto s = std::make_unique<AssignStmt>(line);
    s->targets.push_back(std::move(first));
    check_assignable(*s->targets.back());
    Levels nested(*this);
    while (test_char(',')) {
      s->targets.push_back(parse_suffixed());
      nested.enter();
      check_assignable(*s->targets.back());
    }
    check_char('=');
    const int mark = fs_->temporaries;
    s->values = parse_expr_list();
    if (s->values.size() != s->targets.size()) adjust_values(s->values, mark, s->targets.size());
    s->store_line = lex_.last_line();
    return s;
  }

  void check_assignable(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Local: {
        const VarInfo* v = static_cast<const LocalExpr&>(e).var;
        if (v->attrib != Attrib::None)
          lex_.error_plain("attempt to assign to const variable '" + v->name + "'", lex_.line());
        return;
      }
      case ExprKind::Upvalue: {
        const std::string& name = static_cast<const UpvalueExpr&>(e).name;
        if (upvalue_is_const(fs_, static_cast<const UpvalueExpr&>(e).index))
          lex_.error_plain("attempt to assign to const variable '" + name + "'", lex_.line());
        return;
      }
      case ExprKind::Env:
      case ExprKind::Global:
      case ExprKind::Index:
        return;
      default:
        if (e.constant_of != nullptr)
          lex_.error_plain("attempt to assign to const variable '" + e.constant_of->name + "'",
                           lex_.line());
        lex_.error_near("syntax error");
    }
  }

  bool upvalue_is_const(FuncState* fs, int index) {
    const Proto::UpvalueDesc& d = fs->proto->upvalues[static_cast<std::size_t>(index)];
    if (fs->parent == nullptr) return false;
    if (d.from_parent_local) {
      for (VarInfo* v : fs->parent->active)
        if (v->slot == d.index && v->name == d.name) return v->attrib != Attrib::None;
      return false;
    }
    return upvalue_is_const(fs->parent, d.index);
  }

  // ---- functions --------------------------------------------------------------------------
  ExprPtr parse_body(bool is_method, int line) {
    FuncState fs;
    fs.proto = std::make_shared<Proto>();
    fs.proto->line = line;
    fs.proto->name = "function <" + lex_.chunkname() + ":" + std::to_string(line) + ">";
    fs.proto->chunkname = lex_.chunkname();
    fs.proto->source = lua_source_;
    open_function(fs);
    enter_block(false);
    if (is_method) {
      VarInfo* self = new_local("self", line);
      fs.proto->params.push_back(self);
      activate(self);
    }
    check_char('(');
    if (!is_char(')')) {
      do {
        if (tok().type == Tok::Name) {
          VarInfo* p = new_local(check_name(), lex_.line());
          fs.proto->params.push_back(p);
          activate(p);
        } else if (tok().type == Tok::Dots) {
          lex_.next();
          fs.proto->is_vararg = true;
        } else {
          lex_.error_near("<name> or '...' expected");
        }
      } while (!fs.proto->is_vararg && test_char(','));
    }
    fs.proto->num_params = static_cast<int>(fs.proto->params.size());
    check_char(')');
    fs.proto->body = parse_statements();
    check_match(Tok::End, 0, Tok::Function, 0, line);
    fs.proto->body.close_line = lex_.last_line();
    leave_block();
    close_function();
    return std::make_unique<FunctionExpr>(line, fs.proto);
  }

  // ---- expressions ------------------------------------------------------------------------
  // Lua emits an index (t.x, t[k]) only when its value is first used, with the line of the last
  // token read by then: a ',' or ')' after it, the operator it is the left operand of, 'then'.
  // Called at those points; elsewhere the index keeps the line of its own last token.
  void settle_index_line(Expr& e) const {
    if (e.kind == ExprKind::Index) e.line = lex_.last_line();
  }

  // Lua's explist: each value followed by another goes to the next register.
  std::vector<ExprPtr> parse_expr_list() {
    const int mark = fs_->temporaries;
    std::vector<ExprPtr> list;
    list.push_back(parse_expr());
    while (test_char(',')) {
      settle_index_line(*list.back());
      to_next_register(mark, list.size() - 1);
      list.push_back(parse_expr());
    }
    return list;
  }

  ExprPtr parse_expr() {
    ExprPtr e;
    parse_subexpr(e, 0);
    return e;
  }

  // Lua's subexpr: returns the first binary operator it did not consume.
  void parse_subexpr(ExprPtr& out, int limit) {
    LevelGuard level(*this);
    int line = lex_.line();
    const int mark = fs_->temporaries;
    UnOp uop;
    if (unary_op(uop)) {
      lex_.next();
      ExprPtr operand;
      parse_subexpr(operand, kUnaryPriority);
      free_registers_to(mark);  // the result is computed into a register not yet chosen
      out = std::make_unique<UnaryExpr>(line, uop, std::move(operand));
    } else {
      out = parse_simple();
    }
    for (const BinaryOperator* o = binary_operator(tok()); o != nullptr && o->prio.left > limit;
         o = binary_operator(tok())) {
      int op_line = lex_.line();
      lex_.next();
      settle_index_line(*out);
      // `and`/`or` test their left operand and let go of it before reading the right one; the
      // other operators hold it in one register (if in any).
      free_registers_to(o->kind == ExprKind::Binary ? mark + 1 : mark);
      ExprPtr right;
      parse_subexpr(right, o->prio.right);
      free_registers_to(mark);
      out = std::make_unique<BinaryExpr>(o->kind, binary_line(o->op, o->kind, op_line, *right),
                                         o->op, std::move(out), std::move(right));
    }
  }

  // The line Lua gives the instruction of a binary operation: arithmetic carries its operator's
  // line; a comparison is emitted after its right operand (the last token read by then); a chain
  // of `..` is one instruction with the line of its last operator.
  int binary_line(BinOp op, ExprKind kind, int op_line, const Expr& right) const {
    if (kind != ExprKind::Binary) return op_line;
    switch (op) {
      case BinOp::Eq:
      case BinOp::Ne:
      case BinOp::Lt:
      case BinOp::Le:
      case BinOp::Gt:
      case BinOp::Ge:
        return lex_.last_line();
      case BinOp::Concat:
        if (right.kind == ExprKind::Binary &&
            static_cast<const BinaryExpr&>(right).op == BinOp::Concat)
          return right.line;
        return op_line;
      default:
        return op_line;
    }
  }

  bool unary_op(UnOp& op) const {
    if (tok().type == Tok::Not) {
      op = UnOp::Not;
      return true;
    }
    if (tok().type != Tok::Char) return false;
    switch (tok().ch) {
      case '-':
        op = UnOp::Neg;
        return true;
      case '#':
        op = UnOp::Len;
        return true;
      case '~':
        op = UnOp::BNot;
        return true;
      default:
        return false;
    }
  }

  ExprPtr parse_simple() {
    int line = lex_.line();
    const Token& t = tok();
    ExprPtr e;
    switch (t.type) {
      case Tok::Int:
        e = std::make_unique<ConstExpr>(ExprKind::Int, line, Value::integer(t.ival));
        break;
      case Tok::Float:
        e = std::make_unique<ConstExpr>(ExprKind::Float, line, Value::number(t.fval));
        break;
      case Tok::String:
        e = std::make_unique<ConstExpr>(ExprKind::Str, line, Value::string(t.text));
        break;
      case Tok::Nil:
        e = std::make_unique<Expr>(ExprKind::Nil, line);
        break;
      case Tok::True:
        e = std::make_unique<Expr>(ExprKind::True, line);
        break;
      case Tok::False:
        e = std::make_unique<Expr>(ExprKind::False, line);
        break;
      case Tok::Dots:
        if (!fs_->proto->is_vararg) lex_.error_near("cannot use '...' outside a vararg function");
        e = std::make_unique<Expr>(ExprKind::Vararg, line);
        break;
      case Tok::Char:
        if (t.ch == '{') return parse_table();
        return parse_suffixed();
      case Tok::Function: {
        lex_.next();
        ExprPtr f = parse_body(false, line);
        reserve_registers(1);  // codeclosure: the closure to the next register
        return f;
      }
      default:
        return parse_suffixed();
    }
    lex_.next();
    return e;
  }

  ExprPtr parse_primary() {
    int line = lex_.line();
    if (tok().type == Tok::Name) {
      std::string name = tok().text;
      lex_.next();
      return resolve_name(name, line);
    }
    if (is_char('(')) {
      lex_.next();
      ExprPtr inner = parse_expr();
      check_match(Tok::Char, ')', Tok::Char, '(', line);
      settle_index_line(*inner);
      return std::make_unique<ParenExpr>(line, std::move(inner));
    }
    lex_.error_near("unexpected symbol");
  }

  static CallSiteName site_of(const Expr& fn) {
    switch (fn.kind) {
      case ExprKind::Global:
        return {static_cast<const GlobalExpr&>(fn).name.str(), "global"};
      case ExprKind::Local:
        return {static_cast<const LocalExpr&>(fn).var->name, "local"};
      case ExprKind::Upvalue:
        return {static_cast<const UpvalueExpr&>(fn).name, "upvalue"};
      case ExprKind::Env:
        return {"_ENV", "upvalue"};
      case ExprKind::Index:
        return index_name(static_cast<const IndexExpr&>(fn));
      case ExprKind::Paren:
        return site_of(*static_cast<const ParenExpr&>(fn).inner);
      default:
        return {};
    }
  }

  ExprPtr parse_suffixed() {
    int line = lex_.line();  // Lua reports calls at the line where the expression starts
    const int mark = fs_->temporaries;
    ExprPtr e = parse_primary();
    for (;;) {
      if (is_char('.') || is_char('[')) index_prefix_to_register(*e, mark);
      if (is_char('.')) {
        lex_.next();
        int key_line = lex_.line();
        std::string key = check_name();
        e = std::make_unique<IndexExpr>(
            key_line, std::move(e),
            std::make_unique<ConstExpr>(ExprKind::Str, key_line, Value::string(key)));
      } else if (is_char('[')) {
        lex_.next();
        const int key_mark = fs_->temporaries;
        ExprPtr key = parse_expr();
        check_char(']');
        index_key_to_register(*key, key_mark);
        // Lua emits the access once the next token is read: at the line of the ']'.
        e = std::make_unique<IndexExpr>(lex_.last_line(), std::move(e), std::move(key));
      } else if (is_char(':')) {
        lex_.next();
        std::string name = check_name();
        settle_index_line(*e);
        auto call = std::make_unique<CallExpr>(ExprKind::Method, line);
        call->self_line = lex_.last_line();
        call->function = std::move(e);
        call->method = Value::string(name);
        call->site = {name, "method", first_free_register()};
        free_registers_to(mark);
        reserve_registers(2);  // luaK_self: the function and self
        parse_args(*call, mark);
        e = std::move(call);
      } else if (is_char('(') || is_char('{') || tok().type == Tok::String) {
        auto call = std::make_unique<CallExpr>(ExprKind::Call, line);
        call->site = site_of(*e);
        call->site.reg = first_free_register();
        call->function = std::move(e);
        free_registers_to(mark);
        reserve_registers(1);  // the function
        parse_args(*call, mark);
        e = std::move(call);
      } else {
        return e;
      }
    }
  }

  // Lua's funcargs for a call whose function is in register `base` (self after it for a
  // method); the call leaves its result there.
  void parse_args(CallExpr& call, int base) {
    parse_arg_list(call, base + (call.kind == ExprKind::Method ? 2 : 1));
    free_registers_to(base + 1);
  }

  void parse_arg_list(CallExpr& call, int first_arg) {
    int line = lex_.line();
    if (tok().type == Tok::String) {
      call.args.push_back(
          std::make_unique<ConstExpr>(ExprKind::Str, line, Value::string(tok().text)));
      lex_.next();
      close_last_argument(call, first_arg);
      return;
    }
    if (is_char('{')) {
      call.args.push_back(parse_table());
      close_last_argument(call, first_arg);
      return;
    }
    if (!is_char('(')) lex_.error_near("function arguments expected");
    lex_.next();
    if (!is_char(')')) call.args = parse_expr_list();
    // `...` as the last argument takes its register before the ')' (luaK_setmultret)
    if (!call.args.empty() && call.args.back()->kind == ExprKind::Vararg)
      close_last_argument(call, first_arg);
    check_match(Tok::Char, ')', Tok::Char, '(', line);
    if (!call.args.empty()) settle_index_line(*call.args.back());
    if (!call.args.empty() && !is_multiple_results(*call.args.back()))
      close_last_argument(call, first_arg);
    // The function, self for a method, and the arguments.
    need_stack(call.site.reg + 2 + static_cast<int>(call.args.size()));
  }

  // The last argument goes to the register after the others.
  void close_last_argument(const CallExpr& call, int first_arg) {
    to_next_register(first_arg, call.args.size() - 1);
  }

  // A constructor's registers (lparser.c's ConsControl): the table's, then one per list item
  // still to store; every kListItemsPerFlush items are stored and their registers freed.
  struct ListItems {
    int first;          // the register after the table's
    int pending = 0;    // list items read since the last store (tostore)
    bool open = false;  // the last field read is a list item not in its register yet
  };

  // closelistfield: the list item just read goes to its register.
  void close_list_item(ListItems& items) {
    if (!items.open) return;
    to_next_register(items.first, static_cast<std::size_t>(items.pending - 1));
    items.open = false;
    if (items.pending == kListItemsPerFlush) {
      free_registers_to(items.first);
      items.pending = 0;
    }
  }

  // lastlistfield, once the '}' is read: the last item's register, unless it is an open call.
  void close_last_list_item(ListItems& items, const TableExpr& t) {
    const bool open_call = items.open && is_open_call(*t.positional.back());
    if (items.open && !open_call)
      to_next_register(items.first, static_cast<std::size_t>(items.pending - 1));
    free_registers_to(items.first);
  }

  ExprPtr parse_table() {
    int line = lex_.line();
    reserve_registers(1);  // the table
    ListItems items{fs_->temporaries};
    check_char('{');
    auto t = std::make_unique<TableExpr>(line);
    while (!is_char('}')) {
      int field_line = lex_.line();
      close_list_item(items);
      const int field_mark = fs_->temporaries;
      if (tok().type == Tok::Name && lex_.lookahead().type == Tok::Char &&
          lex_.lookahead().ch == '=') {
        std::string key = check_name();
        lex_.next();  // '='
        TableExpr::Field f{
            std::make_unique<ConstExpr>(ExprKind::Str, field_line, Value::string(key)),
            parse_expr(), 0};
        f.line = lex_.last_line();  // Lua stores the field once its value is read
        t->fields.push_back(std::move(f));
        t->order.push_back(false);
      } else if (is_char('[')) {
        lex_.next();
        ExprPtr key = parse_expr();
        check_char(']');
        check_char('=');
        TableExpr::Field f{std::move(key), parse_expr(), 0};
        f.line = lex_.last_line();
        t->fields.push_back(std::move(f));
        t->order.push_back(false);
      } else {
        t->positional.push_back(parse_expr());
        t->order.push_back(true);
        ++items.pending;
        items.open = true;
      }
      if (!t->order.back()) free_registers_to(field_mark);  // recfield frees what it used
      if (!test_char(',') && !test_char(';')) break;
      if (t->order.back()) settle_index_line(*t->positional.back());
    }
    check_match(Tok::Char, '}', Tok::Char, '{', line);
    if (!t->order.empty() && t->order.back()) settle_index_line(*t->positional.back());
    close_last_list_item(items, *t);
    return t;
  }

  Lexer lex_;
  std::string lua_source_;
  FuncState* fs_ = nullptr;
  int next_block_id_ = 0;
  unsigned level_;
};

}  // namespace

Chunk parse_chunk(std::string_view chunkname, std::string_view source) {
  Parser parser(chunk_id(chunkname), "@" + std::string(chunkname), source, kParserBaseLevel);
  return parser.parse_main();
}

Chunk parse_source(std::string_view source_name, std::string_view text, unsigned c_level) {
  Parser parser(source_id(source_name), std::string(source_name), text, c_level);
  return parser.parse_main();
}

CallSiteName index_name(const IndexExpr& ix) {
  const Expr* key = ix.key.get();
  while (key->kind == ExprKind::Paren) key = static_cast<const ParenExpr*>(key)->inner.get();
  const char* kind = names_env(*ix.object) ? "global" : "field";
  if (key->kind == ExprKind::Str) return {static_cast<const ConstExpr*>(key)->value.str(), kind};
  if (key->kind == ExprKind::Int) {
    const std::int64_t i = static_cast<const ConstExpr*>(key)->value.as_int();
    if (i >= 0 && i <= 255) return {"integer index", "field"};
  }
  return {"?", kind};
}

bool names_env(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Env:
      return true;
    case ExprKind::Local:
      return static_cast<const LocalExpr&>(e).var->name == "_ENV";
    case ExprKind::Upvalue:
      return static_cast<const UpvalueExpr&>(e).name == "_ENV";
    default:
      return false;
  }
}

}  // namespace replay
