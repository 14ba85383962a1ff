// SPDX-License-Identifier: MIT
// Parser: syntax errors as lua5.4 words them, nesting limits counted like Lua's parser, and
// scoping rules that decide what a name refers to.
#include <gtest/gtest.h>

#include "run_helper.hpp"

using replay_test::output_of;
using replay_test::run_lua;

namespace {

std::string error_of(const std::string& src) { return run_lua(src).err; }

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Parser, SyntaxErrorMessages) {
  EXPECT_EQ(error_of("x = = 1"), "jmpco-replay: t.lua:1: unexpected symbol near '='\n");
  EXPECT_EQ(error_of("local function f() return 1"),
            "jmpco-replay: t.lua:1: 'end' expected near <eof>\n");
  EXPECT_EQ(error_of("if x then\n\nx = 1"),
            "jmpco-replay: t.lua:3: 'end' expected (to close 'if' at line 1) near <eof>\n");
  EXPECT_EQ(error_of("for i = 1 do end"), "jmpco-replay: t.lua:1: ',' expected near 'do'\n");
  EXPECT_EQ(error_of("local x <foo> = 1"), "jmpco-replay: t.lua:1: unknown attribute 'foo'\n");
  EXPECT_EQ(error_of("local x <const> = 1; x = 2"),
            "jmpco-replay: t.lua:1: attempt to assign to const variable 'x'\n");
  EXPECT_EQ(error_of("local a <close>, b <close> = nil, nil"),
            "jmpco-replay: t.lua:1: multiple to-be-closed variables in local list\n");
  EXPECT_EQ(error_of("return 1; x = 2"), "jmpco-replay: t.lua:1: <eof> expected near 'x'\n");
  EXPECT_EQ(error_of("break"), "jmpco-replay: t.lua:1: break outside loop at line 1\n");
  EXPECT_EQ(error_of("function g() return ... end"),
            "jmpco-replay: t.lua:1: cannot use '...' outside a vararg function near '...'\n");
  EXPECT_EQ(error_of("f() = 1"), "jmpco-replay: t.lua:1: syntax error near '='\n");
  EXPECT_EQ(error_of("function f(a,) end"),
            "jmpco-replay: t.lua:1: <name> or '...' expected near ')'\n");
  EXPECT_EQ(run_lua("x = = 1").status, 1);
}

TEST(Parser, NestingLimitMatchesLuasParser) {
  // lua5.4 accepts 196 nested parentheses in `return (...)` and rejects 197; blocks: 198/199.
  EXPECT_EQ(run_lua("return " + repeat("(", 196) + "1" + repeat(")", 196)).status, 0);
  EXPECT_EQ(error_of("return " + repeat("(", 197) + "1" + repeat(")", 197)),
            "jmpco-replay: C stack overflow\n");
  EXPECT_EQ(run_lua(repeat("do ", 198) + repeat("end ", 198)).status, 0);
  EXPECT_EQ(error_of(repeat("do ", 199) + repeat("end ", 199)), "jmpco-replay: C stack overflow\n");
  EXPECT_EQ(run_lua("x = " + repeat("function() return ", 98) + "1" + repeat(" end", 98)).status,
            0);
  EXPECT_EQ(run_lua("x = " + repeat("function() return ", 99) + "1" + repeat(" end", 99)).status,
            1);
}

TEST(Parser, LongLeftAssociativeChainsDoNotNest) {
  EXPECT_EQ(output_of("x = 0" + repeat(" + 1", 20000) + " print(x)"), "20000\n");
}

TEST(Parser, TooManyLocals) {
  EXPECT_EQ(
      error_of(repeat("local a = 1 ", 201)),
      "jmpco-replay: t.lua:1: too many local variables (limit is 200) in main function near '='\n");
}

// lparser.c's restassign nests one level per target after the first; lua5.4 runs a main chunk
// with 197 targets and rejects 198, before any value is read.
TEST(Parser, AssignmentTargetsNestLikeRestassign) {
  auto targets = [](int n) { return "local a; a" + repeat(", a", n - 1) + " = 1"; };
  EXPECT_EQ(run_lua(targets(197)).status, 0);
  EXPECT_EQ(error_of(targets(198)), "jmpco-replay: C stack overflow\n");
  EXPECT_EQ(error_of(targets(5000)), "jmpco-replay: C stack overflow\n");
  // a target that cannot be assigned is found at its own level, before the next one is entered
  EXPECT_EQ(error_of("local a; a" + repeat(", a", 195) + ", f() = 1"),
            "jmpco-replay: t.lua:1: syntax error near '='\n");
}

// lcode.c's MAXREGS: 255 registers per function, reserved where Lua reserves them.
TEST(Parser, TooManyRegisters) {
  const std::string msg = "function or expression needs too many registers";
  auto args = [](int n) { return "f(x" + repeat(", x", n - 1) + ")"; };
  EXPECT_EQ(run_lua("function f() end x = 1 " + args(253)).status, 0);
  EXPECT_EQ(error_of(args(254)), "jmpco-replay: t.lua:1: " + msg + " near <eof>\n");
  EXPECT_EQ(error_of(args(255)), "jmpco-replay: t.lua:1: " + msg + " near 'x'\n");
  // self takes one more; a constructor's pending items are stored every 50
  EXPECT_EQ(error_of("o:m(x" + repeat(", x", 252) + ")"),
            "jmpco-replay: t.lua:1: " + msg + " near <eof>\n");
  EXPECT_EQ(run_lua("t = {x" + repeat(", x", 5000) + "}").status, 0);
  // registers are counted per function: an inner function starts from none
  EXPECT_EQ(
      run_lua("local a" + repeat(", a", 198) + " local function g() return {" + args(200) + "} end")
          .status,
      0);
  // a compile-time constant has no register
  EXPECT_EQ(
      run_lua("local c <const> = 1 local a" + repeat(", a", 148) + " function f() end " + args(104))
          .status,
      0);
  EXPECT_EQ(error_of("local a" + repeat(", a", 149) + " " + args(104)),
            "jmpco-replay: t.lua:1: " + msg + " near <eof>\n");
}

// A for loop's control variables count against MAXVARS from its first name on.
TEST(Parser, ForLoopControlVariablesAreLocals) {
  EXPECT_EQ(run_lua("local a" + repeat(", a", 195) + " for i = 1, 2 do end").status, 0);
  EXPECT_EQ(
      error_of("local a" + repeat(", a", 196) + " for i = 1, 2 do end"),
      "jmpco-replay: t.lua:1: too many local variables (limit is 200) in main function near '='\n");
  EXPECT_EQ(error_of("local a" + repeat(", a", 195) + " for k in next, {} do end"),
            "jmpco-replay: t.lua:1: too many local variables (limit is 200) in main function near "
            "'in'\n");
}

TEST(Parser, GotoErrors) {
  EXPECT_EQ(error_of("do goto skip; local a = 1; ::skip:: print(a) end"),
            "jmpco-replay: t.lua:1: <goto skip> at line 1 jumps into the scope of local 'a'\n");
  EXPECT_EQ(error_of("goto nowhere\n"),
            "jmpco-replay: t.lua:2: no visible label 'nowhere' for <goto> at line 1\n");
  EXPECT_EQ(error_of("::a:: ::a::\n"),
            "jmpco-replay: t.lua:2: label 'a' already defined on line 1\n");
  EXPECT_EQ(error_of("do ::a:: end\ndo ::a:: end\ngoto b\ndo ::b:: end\n"),
            "jmpco-replay: t.lua:5: no visible label 'b' for <goto> at line 3\n");
  // A label before 'until' is not at the end of its block.
  EXPECT_EQ(error_of("repeat goto cont; local x = 1 ::cont:: until x"),
            "jmpco-replay: t.lua:1: <goto cont> at line 1 jumps into the scope of local 'x'\n");
}

TEST(Parser, ScopesAndShadowing) {
  EXPECT_EQ(output_of("local x = 1 do local x = 2 print(x) end print(x)"), "2\n1\n");
  EXPECT_EQ(output_of("local x = 1 local x = x + 1 print(x)"), "2\n");
  EXPECT_EQ(output_of("local i = 10 repeat local z = i i = i - 3 until z < 5 print(i)"), "1\n");
  EXPECT_EQ(
      output_of(
          "local function f(n) if n == 0 then return 0 end return n + f(n - 1) end print(f(10))"),
      "55\n");
}

TEST(Parser, MethodAndFieldFunctionNames) {
  EXPECT_EQ(output_of("local a = {b = {}} function a.b.f(x) return x end function a.b:m(x) "
                      "return self == a.b, x end print(a.b.f(1), a.b:m(2))"),
            "1\ttrue\t2\n");
}

}  // namespace
