// SPDX-License-Identifier: MIT
// Interpreter: operators, conversions, error messages and positions, library functions, and the
// guards (step budget, stack overflow). Expected values were taken from lua5.4 (5.4.4).
#include <gtest/gtest.h>

#include "run_helper.hpp"

using replay_test::output_of;
using replay_test::run_lua;

namespace {

TEST(Arithmetic, IntegerAndFloatKinds) {
  EXPECT_EQ(output_of("print(7 // 2, 7.0 // 2, -7 // 2, 7 % 3, -7 % 3, 7.5 % 2, 3 / 2, 2^2)"),
            "3\t3.0\t-4\t1\t2\t1.5\t1.5\t4.0\n");
  EXPECT_EQ(output_of("print(math.maxinteger + 1 == math.mininteger, math.mininteger // -1, "
                      "math.mininteger % -1)"),
            "true\t-9223372036854775808\t0\n");
  EXPECT_EQ(output_of("print(5 // 0.0, -5 // 0.0, 0/0 ~= 0/0, 1/0, -1/0)"),
            "inf\t-inf\ttrue\tinf\t-inf\n");
  EXPECT_EQ(
      output_of(
          "print(\"10\" + 1, \"3.5\" * 2, \" 0x10 \" + 0, 10 .. 20, 1.5 .. \"\", 2^53 .. \"\")"),
      "11\t7.0\t16\t1020\t1.5\t9.007199254741e+15\n");
  EXPECT_EQ(output_of("print(8 | 1, 7 & 3, 5 ~ 3, ~0, 1 << 63, 1 << 64, -1 >> 1, 2.0 | 1)"),
            "9\t3\t6\t-1\t-9223372036854775808\t0\t9223372036854775807\t3\n");
}

TEST(Arithmetic, DivisionByZeroMessages) {
  // Lua 5.4.4 says "attempt to divide by zero" for integer '//' and "'n%0'" for '%'.
  EXPECT_EQ(output_of("local a, b = 1, 0 print(pcall(function() return a // b end))"),
            "false\tt.lua:1: attempt to divide by zero\n");
  EXPECT_EQ(output_of("local a, b = 1, 0 print(pcall(function() return a % b end))"),
            "false\tt.lua:1: attempt to perform 'n%0'\n");
}

TEST(Comparison, MixedNumbersAndStrings) {
  EXPECT_EQ(output_of("print(1 == 1.0, 1 < 1.5, math.maxinteger < 2^63, math.maxinteger + 0.0 == "
                      "math.maxinteger, "
                      "\"a\" < \"b\", \"Z\" < \"a\", \"10\" < \"9\")"),
            "true\ttrue\ttrue\tfalse\ttrue\ttrue\ttrue\n");
  EXPECT_EQ(output_of("print(pcall(function() return 1 < \"2\" end))"),
            "false\tt.lua:1: attempt to compare number with string\n");
  EXPECT_EQ(output_of("print(pcall(function() return {} < {} end))"),
            "false\tt.lua:1: attempt to compare two table values\n");
  EXPECT_EQ(output_of("print(pcall(function() return 1 > nil end))"),
            "false\tt.lua:1: attempt to compare nil with number\n");
}

TEST(Errors, VariableNamesInMessages) {
  EXPECT_EQ(output_of("print(pcall(function() undefinedf() end))"),
            "false\tt.lua:1: attempt to call a nil value (global 'undefinedf')\n");
  EXPECT_EQ(output_of("print(pcall(function() local t; return t.x end))"),
            "false\tt.lua:1: attempt to index a nil value (local 't')\n");
  EXPECT_EQ(output_of("local u print(pcall(function() return u.x end))"),
            "false\tt.lua:1: attempt to index a nil value (upvalue 'u')\n");
  EXPECT_EQ(output_of("print(pcall(function() local t = {} t.x.y = 1 end))"),
            "false\tt.lua:1: attempt to index a nil value (field 'x')\n");
  EXPECT_EQ(output_of("print(pcall(function() local t = {} t:m() end))"),
            "false\tt.lua:1: attempt to call a nil value (method 'm')\n");
  EXPECT_EQ(output_of("print(pcall(function() return y + 1 end))"),
            "false\tt.lua:1: attempt to perform arithmetic on a nil value (global 'y')\n");
  EXPECT_EQ(output_of("print(pcall(function() local t = {} return \"a\" .. t end))"),
            "false\tt.lua:1: attempt to concatenate a table value (local 't')\n");
  EXPECT_EQ(
      output_of("print(pcall(function() local t = {} return t[1] + 1 end))"),
      "false\tt.lua:1: attempt to perform arithmetic on a nil value (field 'integer index')\n");
  EXPECT_EQ(output_of("print(pcall(function() return \"abc\" + 1 end))"),
            "false\tt.lua:1: attempt to add a 'string' with a 'number'\n");
  EXPECT_EQ(output_of("print(pcall(function() local a = 1.5 return a & 1 end))"),
            "false\tt.lua:1: number (local 'a') has no integer representation\n");
  EXPECT_EQ(output_of("print(pcall(function() table.insert(nil, 1) end))"),
            "false\tt.lua:1: bad argument #1 to 'insert' (table expected, got nil)\n");
  EXPECT_EQ(output_of("print(pcall(table.insert, nil, 1))"),
            "false\tbad argument #1 to 'table.insert' (table expected, got nil)\n");
  EXPECT_EQ(output_of("print(pcall(function() local t = {f = string.rep} t:f() end))"),
            "false\tt.lua:1: calling 'f' on bad self (string expected, got table)\n");
}

TEST(Errors, LevelsAndValues) {
  EXPECT_EQ(output_of("local function f() error(\"two\", 2) end\nlocal function g()\n f() "
                      "end\nprint(pcall(g))"),
            "false\tt.lua:3: two\n");
  EXPECT_EQ(output_of("print(pcall(error, \"x\", 2))"), "false\tt.lua:1: x\n");
  EXPECT_EQ(output_of("print(pcall(error))"), "false\tnil\n");
  EXPECT_EQ(output_of("print(pcall(error, 42))"), "false\t42\n");
  EXPECT_EQ(output_of("print(pcall(function() assert(false) end))"),
            "false\tt.lua:1: assertion failed!\n");
  EXPECT_EQ(output_of("print(pcall(assert, nil, \"m\"))"), "false\tm\n");
  EXPECT_EQ(output_of("print(select('#', assert(1, 2, 3)))"), "3\n");
}

TEST(Errors, UncaughtErrorsAtTopLevel) {
  auto r = run_lua("print('a')\nerror('boom')");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "a\n");
  EXPECT_EQ(r.err, "jmpco-replay: t.lua:2: boom\n");
  EXPECT_EQ(run_lua("error({})").err, "jmpco-replay: (error object is a table value)\n");
  EXPECT_EQ(run_lua("error(nil)").err, "jmpco-replay: (error object is a nil value)\n");
  EXPECT_EQ(run_lua("error(42)").err, "jmpco-replay: 42\n");
  EXPECT_EQ(run_lua("error(setmetatable({}, {__tostring = function() return 'custom' end}))").err,
            "jmpco-replay: custom\n");
}

TEST(Errors, XpcallHandlerThatFailsEndsInErrorInErrorHandling) {
  // lua5.4 calls the failing handler again and again: 215 times from the main chunk.
  EXPECT_EQ(output_of("local n = 0 print(xpcall(function() error('e') end, function(m) n = n + 1 "
                      "error('h') end)) print(n)"),
            "false\terror in error handling\n215\n");
  EXPECT_EQ(
      output_of("print(xpcall(function() error('e1') end, function(m) return 'H: ' .. m end))"),
      "false\tH: t.lua:1: e1\n");
}

TEST(Statements, MultipleAssignmentOrder) {
  // Targets' tables and keys first, then the values, then stores from right to left.
  EXPECT_EQ(output_of("local i, t = 1, {} i, t[i] = i + 1, 20 print(i, t[1], t[2])"),
            "2\t20\tnil\n");
  EXPECT_EQ(output_of("local q = {} q[1], q[1] = 1, 2 print(q[1])"), "1\n");
}

TEST(Statements, NumericForLoops) {
  EXPECT_EQ(output_of("for i = 1, 2, 0.5 do io.write(i, ' ') end print()"), "1 1.5 2 \n");
  EXPECT_EQ(
      output_of("for i = math.maxinteger - 1, math.maxinteger do io.write(i, ' ') end print()"),
      "9223372036854775806 9223372036854775807 \n");
  EXPECT_EQ(output_of("print(pcall(function() for i = 1, 10, 0 do end end))"),
            "false\tt.lua:1: 'for' step is zero\n");
  EXPECT_EQ(output_of("print(pcall(function() for i = 1, {} do end end))"),
            "false\tt.lua:1: bad 'for' limit (number expected, got table)\n");
}

TEST(Statements, VarargsAndSelect) {
  EXPECT_EQ(output_of("local function f(...) return select('#', ...), ... end print(f(nil, nil))"),
            "2\tnil\tnil\n");
  EXPECT_EQ(output_of("print(select(2, 'a', 'b', 'c'), select(-1, 'a', 'b', 'c'))"), "b\tc\n");
  EXPECT_EQ(output_of("print(select(2, 'a', 'b', 'c'))"), "b\tc\n");
  EXPECT_EQ(output_of("print(pcall(select, -3, 1, 2))"),
            "false\tbad argument #1 to 'select' (index out of range)\n");
  EXPECT_EQ(output_of("local function f(...) return ... end print(#{f(1, 2, 3)}, #{f(1, 2, 3), "
                      "10}, #{(f(1, 2, 3))})"),
            "3\t2\t1\n");
}

TEST(Statements, Goto) {
  EXPECT_EQ(output_of("for i = 1, 5 do if i % 2 == 0 then goto continue end io.write(i, ' ') "
                      "::continue:: end print()"),
            "1 3 5 \n");
  EXPECT_EQ(output_of("local n = 0 ::top:: n = n + 1 if n < 3 then goto top end print(n)"), "3\n");
  // Jumping back out of a to-be-closed variable's scope closes it; each pass gets a new local.
  EXPECT_EQ(
      output_of("local fs, k = {}, 0 do ::again:: local r <close> = setmetatable({}, "
                "{__close = function() io.write('c', k, ' ') end}) local x = k "
                "fs[#fs + 1] = function() return x end k = k + 1 if k < 3 then goto again end "
                "end print() print(fs[1](), fs[2](), fs[3]())"),
      "c1 c2 c3 \n0\t1\t2\n");
  EXPECT_EQ(output_of("local co = coroutine.wrap(function() local i = 0 ::l:: i = i + 1 "
                      "coroutine.yield(i) if i < 3 then goto l end return 'done' end) "
                      "print(co(), co(), co(), co())"),
            "1\t2\t3\tdone\n");
}

TEST(Statements, TailCallsDoNotGrowTheStack) {
  EXPECT_EQ(output_of("local function t(n) if n == 0 then return 'done' end return t(n - 1) end "
                      "print(t(100000))"),
            "done\n");
}

TEST(Statements, NoTailCallInsideAGenericFor) {
  // Lua's parser marks every generic for as holding a to-be-closed value (its fourth one), so a
  // `return f()` inside one keeps its frame even when that value is nil.
  replay::options opts = replay_test::test_options();
  opts.max_call_depth = 500;
  EXPECT_EQ(run_lua("local function t(n) if n == 0 then return 'done' end "
                    "for _ in next, {1} do return t(n - 1) end end print(pcall(t, 1000))",
                    opts)
                .out,
            "false\tt.lua:1: stack overflow\n");
  EXPECT_EQ(run_lua("local function t(n) if n == 0 then return 'done' end "
                    "do return t(n - 1) end end print(pcall(t, 1000))",
                    opts)
                .out,
            "true\tdone\n");
}

TEST(Library, StringFunctions) {
  EXPECT_EQ(output_of("print(('x'):rep(3, ','), ('hello'):sub(2, -2), ('abc'):upper(), #'abc', "
                      "string.len('ab'))"),
            "x,x,x\tell\tABC\t3\t2\n");
  EXPECT_EQ(output_of("print(string.format('%5.1f|%x|%g|%i|%%|%d|%s|%5s|%-5s|', 3.14159, 255, "
                      "1e20, 42, 7, true, 'ab', 'cd'))"),
            "  3.1|ff|1e+20|42|%|7|true|   ab|cd   |\n");
  EXPECT_EQ(output_of("print(string.format('%q', 'a\\nb\\0c\"\\\\\\r'))"),
            "\"a\\\nb\\0c\\\"\\\\\\13\"\n");
  EXPECT_EQ(output_of("print(string.format('%q', 1/3), string.format('%q', math.mininteger))"),
            "0x1.5555555555555p-2\t0x8000000000000000\n");
  EXPECT_EQ(output_of("print(pcall(string.format, '%d', 3.5))"),
            "false\tbad argument #2 to 'string.format' (number has no integer representation)\n");
  EXPECT_EQ(output_of("print(pcall(string.format, '%F', 1))"),
            "false\tinvalid conversion '%F' to 'format'\n");
}

TEST(Library, TableFunctions) {
  EXPECT_EQ(
      output_of(
          "local t = {} table.insert(t, 'a') table.insert(t, 1, 'b') print(table.concat(t, ','))"),
      "b,a\n");
  EXPECT_EQ(output_of("local p = table.pack(1, nil, 3) print(p.n, table.unpack({1, 2, 3}, 2))"),
            "3\t2\t3\n");
  EXPECT_EQ(output_of("print(pcall(table.concat, {1, {}, 3}))"),
            "false\tinvalid value (table) at index 2 in table for 'concat'\n");
  EXPECT_EQ(output_of("print(pcall(table.insert, {}, 5, 'x'))"),
            "false\tbad argument #2 to 'table.insert' (position out of bounds)\n");
  EXPECT_EQ(output_of("local t = {5, 2, 8, 1} table.sort(t) print(table.concat(t, ' '))"),
            "1 2 5 8\n");
}

TEST(Library, ConversionsAndTypes) {
  EXPECT_EQ(output_of("print(tonumber('  12  '), tonumber('1e2'), tonumber('z', 36), tonumber('8', "
                      "8), tonumber(''))"),
            "12\t100.0\t35\tnil\tnil\n");
  EXPECT_EQ(output_of("print(math.type(1), math.type(1.0), math.type('1'), type(print), "
                      "math.floor(3.7), math.floor(-0.0))"),
            "integer\tfloat\tnil\tfunction\t3\t0\n");
  EXPECT_EQ(output_of("print(tostring(print):sub(1, 12), tostring({}):sub(1, 9))"),
            "function: 0x\ttable: 0x\n");
}

TEST(Metatables, IndexNewindexCallAndProtection) {
  EXPECT_EQ(output_of("local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) "
                      "print(t.foo)"),
            "foo!\n");
  EXPECT_EQ(output_of("local base = {x = 1} local t = setmetatable({}, {__index = base}) "
                      "print(t.x, rawget(t, 'x'))"),
            "1\tnil\n");
  EXPECT_EQ(output_of("local log = {} local t = setmetatable({}, {__newindex = function(t, k, v) "
                      "rawset(t, k, v * 2) end}) t.a = 2 print(t.a)"),
            "4\n");
  EXPECT_EQ(
      output_of(
          "local f = setmetatable({}, {__call = function(self, x) return x + 1 end}) print(f(1))"),
      "2\n");
  EXPECT_EQ(output_of("print(getmetatable(setmetatable({}, {__metatable = 'locked'})), "
                      "getmetatable('').__index == string)"),
            "locked\ttrue\n");
}

TEST(Guards, StepBudget) {
  replay::options opts = replay_test::test_options();
  opts.max_steps = 10000;
  auto r = run_lua("while true do end", opts);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "jmpco-replay: step budget exhausted\n");
  // pcall cannot catch it, and it leaves coroutines too.
  r = run_lua("local co = coroutine.wrap(function() while true do end end) print(pcall(co))", opts);
  EXPECT_EQ(r.err, "jmpco-replay: step budget exhausted\n");
  EXPECT_EQ(r.out, "");
}

TEST(Guards, StackOverflowIsALuaError) {
  replay::options opts = replay_test::test_options();
  opts.max_call_depth = 500;
  auto r = run_lua("local function rec() return 1 + rec() end\nprint(pcall(rec))", opts);
  EXPECT_EQ(r.out, "false\tt.lua:1: stack overflow\n");
  // The message handler runs in the room Lua keeps for it, once per overflow; a handler that
  // overflows again ends in "error in error handling".
  r = run_lua(
      "local function rec() return 1 + rec() end\n"
      "for i = 1, 2 do print(xpcall(rec, function(m) return 'handled: ' .. m end)) end\n"
      "print(xpcall(rec, rec))",
      opts);
  EXPECT_EQ(r.out,
            "false\thandled: t.lua:1: stack overflow\nfalse\thandled: t.lua:1: stack overflow\n"
            "false\terror in error handling\n");
}

TEST(Guards, StackOverflowCountsLuaStackSlots) {
  // Lua's 1,000,000 stack slots, of which a call takes about 1 + its caller's locals: lua5.4
  // runs 6493 levels of this function, whose calls take 154 slots (few levels, so that the
  // thread stack does not run out first, under sanitizers too).
  std::string locals = "x1";
  for (int i = 2; i <= 150; ++i) locals += ", x" + std::to_string(i);
  EXPECT_EQ(output_of("local c = 0 local function f(a, b, d) c = c + 1 local " + locals +
                      " = 1 return x1 + f(a, b, d) end print(pcall(f, 1, 2, 3)) print(c)"),
            "false\tt.lua:1: stack overflow\n6493\n");
}

TEST(Guards, OsExitEndsTheRunWithItsStatus) {
  auto r = run_lua("print('a') os.exit(3) print('b')");
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out, "a\n");
  EXPECT_EQ(r.err, "");
}

TEST(Guards, LeftOutFunctionsSayUnsupported) {
  EXPECT_EQ(run_lua("string.pack('i4', 1)").err,
            "jmpco-replay: t.lua:1: unsupported string.pack\n");
}

TEST(Guards, UnsupportedStopsTheScriptEvenInsidePcall) {
  // No pcall may catch it and carry on with an answer lua5.4 would not give.
  auto r = run_lua("print(pcall(string.packsize, 'i4'))\nprint('not reached')");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "jmpco-replay: t.lua:1: unsupported string.packsize\n");
  r = run_lua("local co = coroutine.wrap(function() return pcall(os.time) end)\nprint(co())");
  EXPECT_EQ(r.err, "jmpco-replay: t.lua:1: unsupported os.time\n");
  EXPECT_EQ(run_lua("\nprint(pcall(debug.getlocal, 1, 1))").err,
            "jmpco-replay: t.lua:2: unsupported debug.getlocal\n");
}

TEST(Env, FreeNamesAreFieldsOfTheVisibleEnv) {
  EXPECT_EQ(output_of("print(_ENV == _G)"), "true\n");
  EXPECT_EQ(output_of("local function f(_ENV) return z end print(f({z = 4}))"), "4\n");
  EXPECT_EQ(output_of("local print = print do local _ENV = {y = 2} print(y) end print(y)"),
            "2\nnil\n");
  // Assigning the chunk's _ENV redirects every function of the chunk.
  EXPECT_EQ(output_of("local g = _G local function r() return v end\n_ENV = {v = 9}\n"
                      "g.print(r())"),
            "9\n");
}

TEST(Env, MessagesNameGlobalsAndEnvLikeLua) {
  EXPECT_EQ(output_of("print(pcall(function () local _ENV = {} x() end))"),
            "false\tt.lua:1: attempt to call a nil value (global 'x')\n");
  EXPECT_EQ(output_of("print(pcall(function () local e = _ENV e.x() end))"),
            "false\tt.lua:1: attempt to call a nil value (field 'x')\n");
  EXPECT_EQ(output_of("local pcall, print = pcall, print _ENV = nil\n"
                      "print(pcall(function () return x end))"),
            "false\tt.lua:2: attempt to index a nil value (upvalue '_ENV')\n");
  EXPECT_EQ(output_of("print(pcall(function () local _ENV = nil y = 1 end))"),
            "false\tt.lua:1: attempt to index a nil value (local '_ENV')\n");
}

TEST(Load, StringsWithChunknamesModesAndEnv) {
  EXPECT_EQ(output_of("print(load('return ...', '=v')(1, 2))"), "1\t2\n");
  EXPECT_EQ(output_of("print(load('x ='))"),
            "nil\t[string \"x =\"]:1: unexpected symbol near <eof>\n");
  EXPECT_EQ(output_of("print(load('x =', '@f.lua'))"),
            "nil\tf.lua:1: unexpected symbol near <eof>\n");
  EXPECT_EQ(output_of("print(load('return 1', 'c', 'b'))"),
            "nil\tattempt to load a text chunk (mode is 'b')\n");
  EXPECT_EQ(output_of("print(load('\\27Lua', 'c', 't'))"),
            "nil\tattempt to load a binary chunk (mode is 't')\n");
  EXPECT_EQ(output_of("print(load('return x', 'c', 't', {x = 5})())"), "5\n");
  EXPECT_EQ(output_of("print(pcall(load('error(\"e\")', '=n')))"), "false\tn:1: e\n");
  EXPECT_EQ(output_of("print(load('\\27Lua'))"),
            "nil\tbinary string: bad binary format (truncated chunk)\n");
}

// The parser's "C stack overflow" is a runtime error inside load: the handler in force sees it
// (and is itself in force while it runs, so a load that overflows inside it calls it again until
// the C stack runs out); without a handler load returns the bare message. As lua5.4 prints them.
TEST(Load, ParserStackOverflowGoesThroughTheMessageHandler) {
  const std::string deep = "local deep = 'local a; a' .. string.rep(', a', 300) .. ' = 1'\n";
  EXPECT_EQ(output_of(deep + "print(pcall(load, deep))"), "true\tnil\tC stack overflow\n");
  EXPECT_EQ(output_of(deep + "print((select(2, xpcall(function () return select(2, load(deep)) "
                             "end, function (m) return {m} end)))[1])"),
            "C stack overflow\n");
  EXPECT_EQ(output_of(deep + "local calls = 0\n"
                             "print(xpcall(error, function (m) calls = calls + 1\n"
                             "  local f, e = load(deep) return tostring(m) .. ' / ' .. e end))\n"
                             "print(calls)"),
            "false\tnil / C stack overflow / error in error handling\n2\n");
  // a handler that yields: not from inside load's protected parse
  EXPECT_EQ(
      output_of(deep + "print(coroutine.resume(coroutine.create(function ()\n"
                       "  return xpcall(function () return load(deep) end,\n"
                       "                function (m) coroutine.yield(1) return m end) end)))"),
      "true\ttrue\tnil\terror in error handling\n");
  // the main chunk's handler (lua.c's) adds a traceback
  EXPECT_EQ(output_of(deep + "print(select(2, load(deep)))"),
            "C stack overflow\nstack traceback:\n\t[C]: in function 'load'\n"
            "\tt.lua:2: in main chunk\n\t[C]: in ?\n");
}

TEST(Load, ReaderFunctionsArePulledUntilNilOrEmpty) {
  EXPECT_EQ(output_of("local p, i = {'return ', '4', ''}, 0\n"
                      "print(load(function () i = i + 1 return p[i] end)())"),
            "4\n");
  EXPECT_EQ(output_of("print(load(function () return {} end))"),
            "nil\tt.lua:1: reader function must return a string\n");
  // The mode is checked on the first piece: a reader that never ends is not read on.
  EXPECT_EQ(output_of("print(load(function () return 'x' end, 'r', 'b'))"),
            "nil\tattempt to load a text chunk (mode is 'b')\n");
}

TEST(Require, StandardLibrariesAndMissingModules) {
  EXPECT_EQ(output_of("print(require 'coroutine' == coroutine, require '_G' == _G,"
                      " package.loaded.string == string)"),
            "true\ttrue\ttrue\n");
  EXPECT_EQ(output_of("package.preload.m = function (...) return {...} end\n"
                      "local m, data = require 'm' print(m[1], m[2], data, require 'm' == m)"),
            "m\t:preload:\t:preload:\ttrue\n");
  EXPECT_EQ(output_of("print(pcall(require, 'no_such_module_here'))"),
            "false\tmodule 'no_such_module_here' not found:\n"
            "\tno field package.preload['no_such_module_here']\n"
            "\tno file './no_such_module_here.lua'\n\tno file './no_such_module_here/init.lua'\n");
}

TEST(MathLibrary, FunctionsResultsAndErrorsAsLmathlib) {
  EXPECT_EQ(output_of("print(math.sin(0), math.cos(0), math.atan(1, -1) == math.pi * 3 / 4,"
                      " math.log(8, 2), math.log(100, 10), math.exp(0))\n"
                      "print(math.modf(-2.5))\nprint(math.modf(4))\nprint(math.modf(-1/0))\n"
                      "print(math.deg(math.pi), math.rad(90) == math.pi / 2)"),
            "0.0\t1.0\ttrue\t3.0\t2.0\t1.0\n-2\t-0.5\n4\t0.0\n-inf\t0.0\n180.0\ttrue\n");
  EXPECT_EQ(output_of("print(pcall(math.random, 1, 2, 3))\nprint(pcall(math.random, 2, 1))\n"
                      "print(pcall(math.sin, 'x'))\nprint(pcall(math.log, 1, {}))"),
            "false\twrong number of arguments\n"
            "false\tbad argument #1 to 'math.random' (interval is empty)\n"
            "false\tbad argument #1 to 'math.sin' (number expected, got string)\n"
            "false\tbad argument #2 to 'math.log' (number expected, got table)\n");
}

TEST(MathLibrary, SeededRandomSequenceIsLuas) {
  EXPECT_EQ(output_of("print(math.randomseed(1))\n"
                      "print(math.random(100), math.random(0), math.random(-2, 2))"),
            "1\t0\n30\t-247601303632394777\t-1\n");
}

TEST(CallNames, IndexedCalleesAreNamedAsLdebug) {
  EXPECT_EQ(
      output_of("local t, k = {}, 'k'\n"
                "print(pcall(function () t[k]() end))\n"
                "print(pcall(function () t[3]() end))\n"
                "print(pcall(function () _ENV[k]() end))\n"
                "print(pcall(function () t[(('s'))]() end))\n"
                "print(pcall(function () local v = string[k:sub(2) .. 'rep']() return v end))"),
      "false\tt.lua:2: attempt to call a nil value (field '?')\n"
      "false\tt.lua:3: attempt to call a nil value (field 'integer index')\n"
      "false\tt.lua:4: attempt to call a nil value (global '?')\n"
      "false\tt.lua:5: attempt to call a nil value (field 's')\n"
      "false\tt.lua:6: bad argument #1 to '?' (string expected, got no value)\n");
}

TEST(IoLibrary, StandardFilesAreFileUserdata) {
  EXPECT_EQ(
      output_of("print(io.type(io.stdin), type(io.stdout), io.input() == io.stdin, io.type({}))\n"
                "print(io.write('w') == io.stdout, getmetatable(io.stderr).__name)"),
      "file\tuserdata\ttrue\tnil\nwtrue\tFILE*\n");
  EXPECT_EQ(output_of("local X = setmetatable({}, {__name = 'My Type'})\n"
                      "print(pcall(io.input, X))\n"
                      "print(pcall(function () return X < io.stdin end))\n"
                      "print(pcall(math.sin, io.input()))"),
            "false\tbad argument #1 to 'io.input' (FILE* expected, got My Type)\n"
            "false\tt.lua:3: attempt to compare My Type with FILE*\n"
            "false\tbad argument #1 to 'math.sin' (number expected, got FILE*)\n");
  // Opening a file is outside the subset.
  EXPECT_NE(
      replay_test::run_lua("io.input('x.txt')").err.find("unsupported io.input of a file name"),
      std::string::npos);
}

TEST(BinaryChunks, DumpAndLoadRoundTrip) {
  EXPECT_EQ(output_of("local up = 'u'\n"
                      "local function f(a) local r = coroutine.yield(a + 1) return r, up end\n"
                      "local g = load(string.dump(f))\n"
                      "local co = coroutine.wrap(g)\n"
                      "print(co(1), co('x'))\n"
                      "local s = load(string.dump(function (t) return t + 1 end, true))\n"
                      "print(pcall(s, {}))\n"
                      "print(debug.getinfo(s, 'S').short_src, debug.getupvalue(s, 1))\n"
                      "print(load(string.dump(f), 'n', 't'))\n"
                      "print(pcall(string.dump, print))"),
            "2\tx\tnil\n"
            "false\t?:-1: attempt to perform arithmetic on a table value\n"
            "?\n"
            "nil\tattempt to load a binary chunk (mode is 't')\n"
            "false\tunable to dump given function\n");
}

// Our own checks after Lua's header: a chunk of another implementation, of another run, or
// naming no prototype of this one.
TEST(BinaryChunks, ForeignChunksAreRefused) {
  EXPECT_EQ(output_of("print(load('\\27Lua\\84\\0\\25\\147\\r\\n\\26\\nfrom another Lua'))"),
            "nil\tbinary string: bad binary format (not a jmpco-replay chunk)\n");
  EXPECT_EQ(
      output_of(
          "print(load('\\27Lua\\84\\0\\25\\147\\r\\n\\26\\njmpco-replay\\0' .. ('\\1'):rep(8)))"),
      "nil\tbinary string: bad binary format (dumped by another run)\n");
  EXPECT_EQ(output_of("local s = string.dump(function () end)\n"
                      "print(load(s:sub(1, -6) .. '\\255\\255\\255\\255\\0', '=x'))\n"
                      "print(load(s:sub(1, -2) .. '\\2', '@y'))\n"
                      "print(load(s:sub(1, -3)))"),
            "nil\tx: bad binary format (corrupted chunk)\n"
            "nil\ty: bad binary format (corrupted chunk)\n"
            "nil\tbinary string: bad binary format (truncated chunk)\n");
}

TEST(FunctionStatement, StoresAtTheLineOfFunction) {
  EXPECT_EQ(output_of("a = {}\nprint(pcall(load('function a.x.y ()\\na = 1\\nend', '=c')))"),
            "false\tc:1: attempt to index a nil value (field 'x')\n");
}

TEST(LibraryIterators, PairsAndIpairsHandOutOneFunction) {
  EXPECT_EQ(
      output_of("local n = next\nnext = nil\n"
                "print(ipairs{} == ipairs{}, pairs{} == n, select('#', ipairs{}))\n"
                "local t = setmetatable({}, {__len = function (a, b) return a == b and 7 end})\n"
                "print(#t)"),
      "true\ttrue\t3\n7\n");
}

TEST(Tool, MissingFileIsReportedLikeLua) {
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_file("no/such/file.lua", out, err), 1);
  EXPECT_EQ(err.str(), "jmpco-replay: cannot open no/such/file.lua: No such file or directory\n");
}

}  // namespace
