// SPDX-License-Identifier: MIT
// The syntax tree the parser builds and the interpreter walks. Names are resolved at parse time:
// a local is a slot in its function's frame (boxed in a Cell when a closure captures it), an
// upvalue is an index into the closure's captured cells, anything else is a field of `_ENV`.
// While `_ENV` is the chunk's own (no local or parameter of that name is visible), such a name is
// a Global (the fast path) and `_ENV` itself is Env; else it is an Index of the visible `_ENV`.
#ifndef JMPCO_REPLAY_AST_HPP
#define JMPCO_REPLAY_AST_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "value.hpp"

namespace replay {

enum class Attrib : std::uint8_t { None, Const, Close };

// One declared local variable.
struct VarInfo {
  std::string name;
  int slot = 0;
  bool captured = false;  // some closure refers to it: its slot holds a Cell
  Attrib attrib = Attrib::None;
  int line = 0;
  // A <const> whose value Lua knows at compile time (luaK_exp2const): its uses are that constant,
  // so error messages do not name it and closures do not capture it.
  bool compile_time_constant = false;
  Value constant;
};

enum class ExprKind : std::uint8_t {
  Nil,
  True,
  False,
  Vararg,
  Int,
  Float,
  Str,
  Function,
  Local,
  Upvalue,
  Env,  // the chunk's _ENV upvalue, named explicitly
  Global,
  Index,
  Call,
  Method,
  Binary,
  And,
  Or,
  Unary,
  Table,
  Paren,
};

enum class BinOp : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  IDiv,
  Mod,
  Pow,
  Concat,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  BAnd,
  BOr,
  BXor,
  Shl,
  Shr,
};

enum class UnOp : std::uint8_t { Neg, Not, Len, BNot };

struct Expr {
  Expr(ExprKind k, int l) : kind(k), line(l) {}
  virtual ~Expr() = default;
  ExprKind kind;
  int line;
  const VarInfo* constant_of = nullptr;  // the compile-time constant this use stands for
};
using ExprPtr = std::unique_ptr<Expr>;

struct ConstExpr : Expr {  // Int, Float, Str
  ConstExpr(ExprKind k, int l, Value v) : Expr(k, l), value(std::move(v)) {}
  Value value;
};

struct LocalExpr : Expr {
  LocalExpr(int l, const VarInfo* v) : Expr(ExprKind::Local, l), var(v) {}
  const VarInfo* var;
};

struct UpvalueExpr : Expr {
  UpvalueExpr(int l, int i, std::string n)
      : Expr(ExprKind::Upvalue, l), index(i), name(std::move(n)) {}
  int index;
  std::string name;
};

struct EnvExpr : Expr {
  explicit EnvExpr(int l) : Expr(ExprKind::Env, l) {}
};

struct GlobalExpr : Expr {
  GlobalExpr(int l, const std::string& n) : Expr(ExprKind::Global, l), name(Value::string(n)) {}
  Value name;
};

struct IndexExpr : Expr {
  IndexExpr(int l, ExprPtr o, ExprPtr k)
      : Expr(ExprKind::Index, l), object(std::move(o)), key(std::move(k)) {}
  ExprPtr object;
  ExprPtr key;
};

// Whether `e` is a variable named _ENV: Lua calls the fields it indexes "global" in messages.
bool names_env(const Expr& e);

// What Lua knows about the function being called, for "bad argument #1 to 'insert'".
struct CallSiteName {
  std::string name;       // empty: none
  const char* kind = "";  // "global", "local", "method", "field", "upvalue"
  // The register Lua's code generator puts the called function in, estimated as the caller's
  // locals in scope (loop control registers included) at the call; -1 for a call not written
  // in Lua code (metamethods, the generic for's iterator).
  int reg = -1;
};

// How ldebug.c names `obj[key]`: a string constant by itself, an integer constant 0..255
// (lcode.c's OP_GETI) "integer index", any other key (a register) "?"; "global" when `obj`
// is _ENV, else "field".
CallSiteName index_name(const IndexExpr& ix);

struct CallExpr : Expr {  // Call and Method
  CallExpr(ExprKind k, int l) : Expr(k, l) {}
  ExprPtr function;   // Call: the callee; Method: the receiver
  Value method;       // Method: the method name
  int self_line = 0;  // Method: the lookup's line, the method name's (Lua's OP_SELF)
  std::vector<ExprPtr> args;
  CallSiteName site;
};

struct BinaryExpr : Expr {  // Binary, And, Or
  BinaryExpr(ExprKind k, int l, BinOp o, ExprPtr a, ExprPtr b)
      : Expr(k, l), op(o), left(std::move(a)), right(std::move(b)) {}
  BinOp op;
  ExprPtr left;
  ExprPtr right;
};

struct UnaryExpr : Expr {
  UnaryExpr(int l, UnOp o, ExprPtr e) : Expr(ExprKind::Unary, l), op(o), operand(std::move(e)) {}
  UnOp op;
  ExprPtr operand;
};

struct ParenExpr : Expr {
  ParenExpr(int l, ExprPtr e) : Expr(ExprKind::Paren, l), inner(std::move(e)) {}
  ExprPtr inner;
};

struct TableExpr : Expr {
  explicit TableExpr(int l) : Expr(ExprKind::Table, l) {}
  std::vector<ExprPtr> positional;  // the last one may expand to several values
  struct Field {
    ExprPtr key;
    ExprPtr value;
    int line;
  };
  std::vector<Field> fields;
  // Source order of the items: true = next positional, false = next field (Lua evaluates them
  // in order).
  std::vector<bool> order;
};

struct Proto;
struct FunctionExpr : Expr {
  FunctionExpr(int l, std::shared_ptr<Proto> p)
      : Expr(ExprKind::Function, l), proto(std::move(p)) {}
  std::shared_ptr<Proto> proto;
};

// ---------------------------------------------------------------------------------------------
// Statements

enum class StmtKind : std::uint8_t {
  Local,
  LocalFunction,
  Assign,
  Call,
  Do,
  While,
  Repeat,
  If,
  NumFor,
  GenFor,
  Return,
  Break,
  Goto,
  Label,
};

struct Stmt {
  Stmt(StmtKind k, int l) : kind(k), line(l) {}
  virtual ~Stmt() = default;
  StmtKind kind;
  int line;
};
using StmtPtr = std::unique_ptr<Stmt>;

struct Block {
  std::vector<StmtPtr> stmts;
  bool has_close = false;  // declares a to-be-closed variable directly
  // The line Lua reports while closing the block's variables when control falls off its end:
  // its last token, or the 'end' of a function body.
  int close_line = 0;
  int id = -1;  // identifies the block as a goto target
  // Frame slots the block's locals (and its inner blocks') may use: cleared when it is left, so
  // that a dead local keeps nothing alive for the collector (Lua's stack above the top).
  int first_slot = 0;
  int slot_end = 0;
};

struct LocalStmt : Stmt {
  explicit LocalStmt(int l) : Stmt(StmtKind::Local, l) {}
  int check_line = 0;  // the last token of the values: where Lua checks a <close> value
  std::vector<VarInfo*> vars;
  std::vector<ExprPtr> values;
};

struct LocalFunctionStmt : Stmt {
  explicit LocalFunctionStmt(int l) : Stmt(StmtKind::LocalFunction, l) {}
  VarInfo* var = nullptr;
  ExprPtr function;
};

struct AssignStmt : Stmt {
  explicit AssignStmt(int l) : Stmt(StmtKind::Assign, l), store_line(l) {}
  int store_line;  // where the values end: the line Lua's store instructions (and errors) carry
  // `function NAME () ... end`: its `function` line, which Lua gives the store ("the definition
  // happens in the first line"); 0 for other assignments.
  int definition_line = 0;
  std::vector<ExprPtr> targets;  // Local, Upvalue, Global or Index
  std::vector<ExprPtr> values;
};

struct CallStmt : Stmt {
  CallStmt(int l, ExprPtr c) : Stmt(StmtKind::Call, l), call(std::move(c)) {}
  ExprPtr call;
};

struct DoStmt : Stmt {
  explicit DoStmt(int l) : Stmt(StmtKind::Do, l) {}
  Block body;
};

// Loops record the line Lua reports while a `break` closes variables: the loop's 'end' (the
// last token of the condition for repeat), where Lua puts the label the break jumps to.
struct WhileStmt : Stmt {  // While and Repeat
  WhileStmt(StmtKind k, int l) : Stmt(k, l) {}
  ExprPtr cond;
  Block body;
  int break_line = 0;
};

struct IfStmt : Stmt {
  explicit IfStmt(int l) : Stmt(StmtKind::If, l) {}
  std::vector<ExprPtr> conds;
  std::vector<Block> blocks;
  bool has_else = false;
  Block else_block;
};

struct NumForStmt : Stmt {
  explicit NumForStmt(int l) : Stmt(StmtKind::NumFor, l) {}
  VarInfo* var = nullptr;
  ExprPtr start, limit, step;
  int prep_line = 0;  // line of 'do': where Lua reports a bad initial value, limit or step
  Block body;
  int break_line = 0;
};

struct GenForStmt : Stmt {
  explicit GenForStmt(int l) : Stmt(StmtKind::GenFor, l) {}
  std::vector<VarInfo*> vars;
  std::vector<ExprPtr> exprs;
  int state_slot = 0;  // four hidden slots: iterator, state, control, closing value
  int call_line = 0;   // first token after 'in': where Lua reports the iterator call
  int prep_line = 0;   // line of 'do': where Lua checks the closing value
  Block body;
  int break_line = 0;  // also where the closing value is closed
};

struct ReturnStmt : Stmt {
  explicit ReturnStmt(int l) : Stmt(StmtKind::Return, l) {}
  std::vector<ExprPtr> values;
  bool tail_call = false;  // a single call that may replace the frame
  int close_line = 0;      // the line of its last token: where Lua closes variables
};

struct GotoStmt : Stmt {  // Break, Goto
  GotoStmt(StmtKind k, int l) : Stmt(k, l) {}
  std::string label;
  // Where a goto lands: a block (one enclosing the goto), the statement its label stands
  // before, and how many of that block's to-be-closed variables are declared before the label
  // (the later ones go out of scope with the jump).
  int target_block = -1;
  std::size_t target_index = 0;
  std::size_t target_closes = 0;
  // The line Lua reports while the jump closes variables: a forward goto closes them at its
  // label (the label's last token), a backward one where it stands.
  int close_line = 0;
};

// A function's code and its frame layout.
struct Proto {
  std::string name;       // for messages: "main chunk" or "function <file:line>"
  std::string chunkname;  // the chunk's name in messages (luaO_chunkid's)
  std::string source;     // Lua's source name: "@FILE", "=NAME" or the chunk's text
  int line = 0;
  int num_params = 0;
  bool is_vararg = false;
  bool is_main = false;
  int frame_size = 0;
  // Lua stack slots a call of this function needs above its base (Lua's maxstacksize), estimated
  // from its locals and the calls it makes.
  int max_stack = 2;
  std::vector<VarInfo*> params;
  struct UpvalueDesc {
    std::string name;
    bool from_parent_local;  // else from the parent's upvalues
    int index;               // parent's slot or parent's upvalue index
    // The chunk's _ENV: the main function's upvalue 0, or a chain of upvalues down to it. Lua
    // lists it where a function (or one nested in it) first uses a global.
    bool chunk_env = false;
  };
  std::vector<UpvalueDesc> upvalues;
  Block body;
  std::vector<std::unique_ptr<VarInfo>> vars;  // owns every VarInfo of this function
};

// A parsed chunk; owns all the protos.
struct Chunk {
  std::shared_ptr<Proto> main;
};

}  // namespace replay

#endif  // JMPCO_REPLAY_AST_HPP
