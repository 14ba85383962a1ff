// SPDX-License-Identifier: MIT
// Lua program generator for the differential target. See lua_program.hpp.
//
// The bytes are read one at a time; each statement takes a byte for its kind and more for its
// operands (a missing byte reads as 0, so every input ends). Statements:
//   create / wrap a coroutine into C[1..8] (its body is a nested block), resume (plain or under
//   pcall), call a wrap, yield, status, close, running / isyieldable, error with values of every
//   type and levels 1-2, pcall and xpcall blocks, bounded for loops, to-be-closed variables,
//   resume and close of the running coroutine, nested resume chains (chain, through
//   coroutine.resume; wchain, through coroutine.wrap) of depths around Lua's C-stack limit,
//   deep Lua recursion (rec) before the block runs, `return f(...)` or `return o:m(...)` inside a
//   generic for whose closing value is to be closed (once), chunks made by load (run under pcall
//   or as a coroutine body; some yield, raise, or do not compile) and functions with an _ENV of
//   their own;
//   string.find, match, gmatch and gsub with patterns built from well-formed and malformed
//   pieces, gmatch loops that yield each match, and gsub replacements that are strings, tables,
//   or functions that yield, resume or fail;
//   collectgarbage(), a weak table whose fresh value goes and whose C[] value stays,
//   debug.getinfo of the running function and of a C[] coroutine's level 1, and debug.traceback
//   of the running thread and of a C[] entry;
//   the math library's functions with values of every type, seeded math.random sequences, and
//   string.dump/load round trips (stripped or not) run under pcall or as coroutine bodies;
//   debug.sethook call, return and line hooks on a fresh coroutine running a generated function.
// Values: integers, floats, strings (some with escapes), booleans, nil, tables, `...`, the loop
// variable, the running thread and the C[] entries. Printed through show(), which prints
// type names for tables, functions and threads, so output never contains an address.
#include "lua_program.hpp"

#include <string>

namespace luagen {
namespace {

const char* const kPrelude =
    "local function show(...)\n"
    "  local n = select('#', ...)\n"
    "  local parts = {}\n"
    "  for i = 1, n do\n"
    "    local v = select(i, ...)\n"
    "    local t = type(v)\n"
    "    if t == 'string' or t == 'number' or t == 'boolean' or t == 'nil' then\n"
    "      parts[#parts + 1] = tostring(v)\n"
    "    else\n"
    "      parts[#parts + 1] = t\n"
    "    end\n"
    "  end\n"
    "  return n .. ':' .. table.concat(parts, ',')\n"
    "end\n"
    "local C = {}\n"
    "local function chain(n, f, ...)\n"
    "  if n <= 0 then return 'bottom', f(...) end\n"
    "  local ok, a, b = coroutine.resume(coroutine.create(chain), n - 1, f, ...)\n"
    "  if not ok then return 'fail' .. AT(n), a end\n"
    "  return a, b\n"
    "end\n"
    "local function wchain(n, f, ...)\n"
    "  if n <= 0 then return 'bottom', f(...) end\n"
    "  return coroutine.wrap(wchain)(n - 1, f, ...)\n"
    "end\n"
    "local function rec(n, f, ...)\n"
    "  if n <= 0 then return f(...) end\n"
    "  return (rec(n - 1, f, ...))\n"
    "end\n"
    "local function tail(ok, r, ...)\n"
    "  if type(r) == 'string' and #r > 24 then r = '...' .. string.sub(r, -24) end\n"
    "  return ok, r, ...\n"
    "end\n"
    "local function tbc(tag)\n"
    "  return setmetatable({}, {__close = function(_, e) print('close', tag, show(e)) end})\n"
    "end\n"
    "local function once(tag)\n"
    "  return function(_, c) if not c then return 1 end end, nil, nil, tbc(tag)\n"
    "end\n";

class generator {
 public:
  generator(const std::uint8_t* data, std::size_t size, bool avoid_known)
      : p_(data), end_(data + size), exact_(!avoid_known), hoist_(avoid_known) {}

  std::string run() {
    out_ = kPrelude;
    // chain() reports the level where a resume failed, or not (see generate()).
    const std::string at = exact_ ? "'@' .. n" : "''";
    out_.replace(out_.find("AT(n)"), 5, "(" + at + ")");
    block(0);
    return out_;
  }

 private:
  static constexpr int kMaxStatements = 120;
  static constexpr int kMaxBlockDepth = 6;
  static constexpr int kMaxFunctionDepth = 3;

  int byte() { return p_ < end_ ? *p_++ : 0; }
  bool more() const { return p_ < end_; }

  void line(const std::string& s) {
    out_.append(static_cast<std::size_t>(indent_) * 2, ' ');
    out_ += s;
    out_ += '\n';
  }

  std::string slot() { return "C[" + std::to_string(1 + byte() % 8) + "]"; }

  std::string value() {
    const int b = byte();
    const int x = byte();
    switch (b % 14) {
      case 0:
        return std::to_string(x - 20);
      case 1:
        return std::to_string(x / 4) + ".5";
      case 2:
        return "'s" + std::to_string(x) + "'";
      case 3:
        return "true";
      case 4:
        return "false";
      case 5:
        return "nil";
      case 6:
        return "{}";
      case 7:
        return "...";
      case 8:
        return loop_vars_ > 0 ? "i" + std::to_string(loop_vars_) : std::to_string(x);
      case 9:
        return "(coroutine.running())";
      case 10:
        return slot();
      case 11:
        return "'line\\nbreak " + std::to_string(x) + "'";
      case 12:
        return std::to_string(x * 1000003LL);
      default:
        return "-0.0";
    }
  }

  std::string values() {
    const int n = byte() % 4;
    std::string s;
    for (int i = 0; i < n; ++i) s += (i > 0 ? ", " : "") + value();
    return s;
  }

  int chain_depth() {
    static const int exact[] = {0, 1, 2, 5, 50, 150, 190, 194, 195, 196, 197, 198, 199, 200, 210, 250};
    static const int coarse[] = {0, 1, 2, 3, 5, 10, 250, 300};
    return exact_ ? exact[byte() % 16] : coarse[byte() % 8];
  }

  // A function literal whose body is a nested block.
  std::string function() { return function_with_entry(""); }

  // In hoisting mode a function literal is defined in a `do local fN = function ... end` opened
  // before the statement that uses it (closed after it), so that every statement that can raise
  // an error fits on one line.
  std::string hoisted(const std::string& literal) {
    if (!hoist_) return literal;
    const std::string name = "f" + std::to_string(++functions_);
    line("do local " + name + " = " + literal);
    ++open_dos_;
    return name;
  }

  void block(int depth) {
    const int saved_depth = block_depth_;
    block_depth_ = depth;
    const int n = 1 + byte() % 6;
    for (int i = 0; i < n && more() && statements_ < kMaxStatements; ++i) statement();
    block_depth_ = saved_depth;
  }

  void nested_block() {
    if (block_depth_ >= kMaxBlockDepth) {
      line("print('deep')");
      return;
    }
    ++indent_;
    block(block_depth_ + 1);
    --indent_;
  }

  void statement() {
    ++statements_;
    const int saved_dos = open_dos_;
    open_dos_ = 0;
    statement_body();
    for (; open_dos_ > 0; --open_dos_) line("end");
    open_dos_ = saved_dos;
  }

  void statement_body() {
    const int kind = byte() % 38;
    switch (kind) {
      case 0:
      case 1: {
        const std::string s = slot();
        const std::string tag = std::to_string(statements_);
        line(s + " = coroutine." + (kind == 0 ? "create" : "wrap") + "(" + function_with_entry(tag) + ")");
        break;
      }
      case 2:
        line("print('resume', show(coroutine.resume(" + slot() + ", " + value() + ")))");
        break;
      case 3:
      case 4:
        line("print('presume', show(pcall(coroutine.resume, " + slot() + ", " + values_or_nil() + ")))");
        break;
      case 5:
        line("print('call', show(pcall(" + slot() + ", " + values_or_nil() + ")))");
        break;
      case 6:
      case 7:
        line("print('yield', show(coroutine.yield(" + values() + ")))");
        break;
      case 8:
        line("print('pyield', show(pcall(coroutine.yield, " + values_or_nil() + ")))");
        break;
      case 9:
        line("print('status', show(pcall(coroutine.status, " + slot() + ")))");
        break;
      case 10:
        line("print('close', show(pcall(coroutine.close, " + slot() + ")))");
        break;
      case 11: {
        const int how = byte() % 3;
        if (how == 0)
          line("error(" + value() + ")");
        else
          line("error(" + value() + ", " + std::to_string(how) + ")");
        break;
      }
      case 12:
      case 13:
        line("print('pcall', show(pcall(" + function() + ", " + values_or_nil() + ")))");
        break;
      case 14:
        line("do local co, main = coroutine.running() print('running', type(co), main, coroutine.isyieldable()) end");
        break;
      case 15: {
        if (loop_vars_ >= 3 || block_depth_ >= kMaxBlockDepth) break;
        ++loop_vars_;
        line("for i" + std::to_string(loop_vars_) + " = 1, " + std::to_string(1 + byte() % 3) + " do");
        nested_block();
        line("end");
        --loop_vars_;
        break;
      }
      case 16: {
        line("do");
        ++indent_;
        line("local t" + std::to_string(statements_) + " <close> = tbc(" + std::to_string(statements_) + ")");
        --indent_;
        nested_block();
        line("end");
        break;
      }
      case 17:
        line("do return " + values() + " end");
        break;
      case 18:
        line("print('chain', show(chain(" + std::to_string(chain_depth()) + ", " + function() + ", " + values_or_nil() +
             ")))");
        break;
      case 19:
        // Every wrap level prefixes a string error with a position: only the end of the message
        // is independent of the exact level where the chain stopped.
        line(std::string("print('wchain', show(") + (exact_ ? "" : "tail(") + "pcall(wchain, " +
             std::to_string(chain_depth()) + ", " + function() + ", " + values_or_nil() + ")" + (exact_ ? "" : ")") +
             "))");
        break;
      case 20:
        line("print('rec', show(rec(" + std::to_string(byte() % 4 * 60) + ", " + function() + ", " + values_or_nil() +
             ")))");
        break;
      case 21:
        line("print('xpcall', show(xpcall(" + function() +
             ", function(m) print('handler', show(m)) return 'handled' end, " + values_or_nil() + ")))");
        break;
      case 22:
        line(slot() + " = " + slot());
        break;
      case 23:
        line("print('self', show(coroutine.resume(coroutine.running())))");
        break;
      case 24:
        line("print('closeself', show(pcall(coroutine.close, (coroutine.running()))))");
        break;
      case 25:
        line("print('assert', show(pcall(assert, " + value() + ", " + value() + ")))");
        break;
      case 26:
        line("print('wrapcall', show(" + slot() + "(" + values() + ")))");
        break;
      case 27: {
        // Not a tail call: the loop's closing value is closed after the callee returns (or
        // while it is suspended, by coroutine.close).
        const std::string tag = std::to_string(statements_);
        const std::string f = function();
        const std::string call = byte() % 2 == 0 ? "(" + f + ")(...)" : "({m = " + f + "}):m(...)";
        line("print('forret', show(pcall(function(...) for _ in once(" + tag + ") do return " + call + " end end, " +
             values_or_nil() + ")))");
        break;
      }
      case 28:
        loaded_chunk();
        break;
      case 29:
        own_env();
        break;
      case 30:
        pattern_statement();
        break;
      case 31:
        line("print('gc', collectgarbage())");
        break;
      case 32: {
        const std::string s = slot();
        line("do local w = setmetatable({}, {__mode = '" + std::string(byte() % 2 == 0 ? "v" : "kv") +
             "'}) w[1] = {} w[2] = " + s + " collectgarbage() print('weak', w[1] == nil, w[2] == " + s + ") end");
        break;
      }
      case 33:
        if (byte() % 2 == 0) {
          line("print('info', debug.getinfo(1, 'l').currentline, debug.getinfo(1, 'S').what)");
        } else {
          line("print('cinfo', show(pcall(function() local i = debug.getinfo(" + slot() +
               ", 1, 'Sl') return i and i.what, i and i.currentline end)))");
        }
        break;
      case 34:
        if (byte() % 2 == 0)
          line("print('tb', debug.traceback('m'))");
        else
          line("print('ctb', show(pcall(debug.traceback, " + slot() + ", 'c')))");
        break;
      case 36:
        library_statement();
        break;
      case 37:
        hooked_coroutine();
        break;
      default:
        line("print('fmt', string.format('%d %s %q %5.1f %%', " + std::to_string(byte() - 100) + ", 's" +
             std::to_string(byte()) + "', 'q\\n\"', " + std::to_string(byte()) + ".25))");
        break;
    }
  }

  // A coroutine running a generated function under a hook of its own (never the main thread's:
  // there the real Lua's step budget is a count hook). It records line events with their lines
  // and the call and return events of Lua functions, at most 40. Not recorded: count events (the
  // replay counts statements, not instructions) and C functions' events, since the real Lua also
  // calls C functions of its own that a hook sees (the __close and __gc of a string buffer's box);
  // a longer text would box table.concat's buffer in an enclosing hooked coroutine.
  void hooked_coroutine() {
    static const char* const kMasks[] = {"c", "r", "l", "cr", "crl"};
    const std::string mask = kMasks[byte() % 5];
    const std::string f = function();
    line("do local tr, co = {}, coroutine.create(" + f +
         ") debug.sethook(co, function(e, l) if #tr < 40 and (l or debug.getinfo(2, 'S').what ~= 'C') then tr[#tr + 1] "
         "= e .. ':' .. (l or 'Lua') end end, '" +
         mask + "') print('hook', show(coroutine.resume(co, " + values_or_nil() + ")), table.concat(tr, ' ')) end");
  }

  // load(SOURCE, NAME, MODE): called under pcall, or made the body of a coroutine in C[].
  void loaded_chunk() {
    static const char* const kSources[] = {
        "'return ...'",
        "'local a = ... coroutine.yield(a) return \\'after\\', ...'",
        "'error(\\'in loaded\\', 1)'",
        "'\\n\\nerror(\\'level 2\\', 2)'",
        "'return x +'",
        "'local t = nil return t.x'",
        "'return undefined_global.field'",
        "'return coroutine.isyieldable(), coroutine.running()'",
    };
    static const char* const kNames[] = {"nil", "'=chunk'", "'@file.lua'", "'return 1 + \\n 2'", "string.rep('n', 70)"};
    static const char* const kModes[] = {"nil", "'t'", "'b'", "'bt'"};
    const std::string call =
        std::string("load(") + kSources[byte() % 8] + ", " + kNames[byte() % 5] + ", " + kModes[byte() % 4] + ")";
    if (byte() % 2 == 0)
      line("print('load', show(pcall(" + call + ", " + values_or_nil() + ")))");
    else
      line(slot() + " = coroutine.create(" + call + " or function(...) return ... end)");
  }

  // The rest of the math library (values of every type, so also its argument errors), a seeded
  // random sequence (math.random is never called unseeded: its output would differ), and
  // string.dump round trips. Not math.atan: Debian's lua5.4 also has it as math.atan2 (5.3
  // compatibility), and which of the two names its argument errors give changes from run to run
  // (the order of a hash table whose seed is random).
  void library_statement() {
    static const char* const kMath[] = {"sin", "cos", "tan", "asin", "acos", "sqrt",
                                        "exp", "log", "deg", "rad",  "modf"};
    const int choice = byte() % 6;
    if (choice == 4) {
      // debug.upvalueid: only whether it fails and which ids are equal (never an address)
      const std::string n = std::to_string(byte() % 4);
      line("do local f = " + function() + " local ok, id = pcall(debug.upvalueid, f, " + n +
           ") print('upid', show(ok, ok and id == debug.upvalueid(f, 1), id)) end");
      return;
    }
    if (choice == 5) {
      // The parser's limits near their boundary: assignment targets (C levels) and registers.
      const std::string n = std::to_string(byte() % 64);
      const std::string source = byte() % 2 == 0 ? "'local a; a' .. string.rep(', a', 150 + " + n + ") .. ' = 1'"
                                                 : "'f(x' .. string.rep(', x', 220 + " + n + ") .. ')'";
      line("print('limits', show(pcall(load, " + source + ")))");
      return;
    }
    if (choice == 3) {
      // A dump/load round trip (stripped or not) of a function that may fail, called under
      // pcall or made a coroutine body.
      const std::string strip = byte() % 2 == 0 ? "true" : "false";
      const std::string loaded = "load(string.dump(" + function() + ", " + strip + "))";
      if (byte() % 2 == 0)
        line("print('dump', show(pcall(" + loaded + ", " + values_or_nil() + ")))");
      else
        line(slot() + " = coroutine.create(" + loaded + ")");
      return;
    }
    if (choice == 0) {
      const std::string seed = std::to_string(byte() - 100);
      const std::string up = std::to_string(byte() % 10);
      line("do math.randomseed(" + seed + ") print('rand', show(pcall(math.random, " + up +
           ")), math.random(), math.random(-" + up + ", " + up + ")) end");
      return;
    }
    const std::string name = kMath[byte() % 11];
    const std::string args = values();  // none: the call's "got no value" message
    line("print('math', show(pcall(math." + name + (args.empty() ? "" : ", " + args) + ")))");
  }

  // A function whose free names are fields of its own _ENV (a local, a parameter, nil).
  void own_env() {
    switch (byte() % 4) {
      case 0:
        line("do local _ENV = setmetatable({}, {__index = _G}) x = " + value() +
             " print('env', show(x, rawget(_G, 'x'), coroutine.isyieldable())) end");
        break;
      case 1:
        line("print('envf', show(pcall(function (_ENV, ...) return undefined_name, ... end, " + value() + ", " +
             values_or_nil() + ")))");
        break;
      case 2:
        line(
            "print('envy', show(pcall(function (...) local _ENV = {coroutine = coroutine} "
            "return coroutine.yield(...) end, " +
            values_or_nil() + ")))");
        break;
      default:
        // A vararg function: the value may be `...`.
        line("print('envg', show(pcall(function (...) local _ENV = " + value() + " missing() end)))");
        break;
    }
  }

  // A Lua string literal: a subject for pattern functions.
  std::string subject() {
    static const char* const kSubjects[] = {
        "'hello world'", "'a,b,,c'",       "'(x(y)z) [w]'", "'key = 42; k2=7'", "''",
        "'aaa'",         "'line\\nbreak'", "'1e5 0x1F -3'", "'^$%.'",           "'THE end'"};
    return kSubjects[byte() % 10];
  }

  // A pattern of one to three pieces, some of them malformed or using captures wrongly.
  std::string pattern() {
    static const char* const kPieces[] = {"%a+", "(%d+)", "[%w_]*", "%s*",   ".-",       "()",       "%b()", "%f[%w]",
                                          "^",   "$",     "[^,]",   "(a)%1", "%",        "[a",       "(",    ")",
                                          "%g",  "%x?",   "[]",     "%1",    "(%a)(%a)", ".",        "%u",   "[%]]",
                                          "%fx", "%b",    "(()",    "a*",    "%.",       "[0-9a-f]+"};
    std::string p = "'";
    const int n = 1 + byte() % 3;
    for (int i = 0; i < n; ++i) p += kPieces[byte() % 30];
    return p + "'";
  }

  // A gsub replacement: a string with %-escapes, a table, or a function (some yield or fail).
  std::string replacement() {
    static const char* const kReplacements[] = {
        "'<%0>'",
        "'%1-%1'",
        "'%%'",
        "'%2'",
        "'%'",
        "'x'",
        "7",
        "{a = 'A', hello = false, [1] = 'one'}",
        "{hello = {}}",
        "function(...) return show(...) end",
        "coroutine.yield",
        "function(s) return coroutine.isyieldable() and 'y' or 'n' end",
        "function() error('in gsub') end",
        "function(s) return select(2, coroutine.resume(coroutine.create(coroutine.yield), s)) end",
        "nil",
        "true"};
    return kReplacements[byte() % 16];
  }

  // Operands are read into locals first: the order of reads must not depend on the compiler.
  void pattern_statement() {
    const std::string s = subject();
    const std::string p = pattern();
    const std::string call = s + ", " + p;
    switch (byte() % 5) {
      case 0: {
        const std::string init = std::to_string(byte() % 9 - 4);
        const std::string plain = byte() % 2 == 0 ? ", true" : "";
        line("print('find', show(pcall(string.find, " + call + ", " + init + plain + ")))");
        break;
      }
      case 1:
        line("print('match', show(pcall(string.match, " + call + ")))");
        break;
      case 2: {
        const std::string init = std::to_string(byte() % 5 - 1);
        line("print('gmatch', show(pcall(function() local n = 0 for a, b in string.gmatch(" + call + ", " + init +
             ") do n = n + 1 print('m', show(a, b)) if n > 20 then break end end return n end)))");
        break;
      }
      case 3:
        // The loop body may yield between matches (outside a coroutine the yield fails alike).
        line("for a, b in string.gmatch(" + call + ") do print('ymatch', show(coroutine.yield(a, b))) break end");
        break;
      default: {
        const std::string repl = replacement();
        const std::string max = byte() % 2 == 0 ? ", " + std::to_string(byte() % 4) : "";
        line("print('gsub', show(pcall(string.gsub, " + call + ", " + repl + max + ")))");
        break;
      }
    }
  }

  std::string values_or_nil() {
    const std::string v = values();
    return v.empty() ? "nil" : v;
  }

  // A function literal whose body is a nested block, printing `enter TAG` first if TAG is given.
  std::string function_with_entry(const std::string& tag) {
    if (function_depth_ >= kMaxFunctionDepth) return hoisted("function(...) return ... end");
    const int saved_loops = loop_vars_;
    ++function_depth_;
    loop_vars_ = 0;  // loop variables of the enclosing function are upvalues: fine, but keep it simple
    std::string s = "function(...)\n";
    std::swap(s, out_);
    ++indent_;
    if (!tag.empty()) line("print('enter', " + tag + ", show(...))");
    block(block_depth_ + 1);
    --indent_;
    std::swap(s, out_);
    s += std::string(static_cast<std::size_t>(indent_) * 2, ' ') + "end";
    --function_depth_;
    loop_vars_ = saved_loops;
    return hoisted(s);
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  std::string out_;
  int indent_ = 0;
  int statements_ = 0;
  int block_depth_ = 0;
  int function_depth_ = 0;
  int loop_vars_ = 0;
  int functions_ = 0;
  int open_dos_ = 0;  // hoisting `do` blocks opened for the current statement
  bool exact_;
  bool hoist_;
};

}  // namespace

std::string generate(const std::uint8_t* data, std::size_t size, bool avoid_known) {
  return generator(data, size, avoid_known).run();
}

}  // namespace luagen
