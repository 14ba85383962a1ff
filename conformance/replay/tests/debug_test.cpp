// SPDX-License-Identifier: MIT
// The debug library's subset: getinfo and traceback of the running thread and of suspended and
// normal coroutines (whose call records must stay readable while jmpco holds their stacks copied
// out), upvalues, hooks, and the misuse messages. Expected outputs are what lua5.4 printed (t.lua).
#include <gtest/gtest.h>

#include "run_helper.hpp"

using replay_test::output_of;
using replay_test::run_lua;

namespace {

TEST(Debug, GetinfoReadsTheLevelsOfSuspendedAndNormalCoroutines) {
  const char* script =
      "local function inner() coroutine.yield() end\n"
      "local co = coroutine.create(function ()\n"
      "  inner()\n"
      "end)\n"
      "coroutine.resume(co)\n"
      "for l = 0, 3 do\n"
      "  local i = debug.getinfo(co, l, 'Sln')\n"
      "  print(l, i and i.what, i and i.currentline, i and i.name)\n"
      "end\n"
      "local main = coroutine.running()\n"
      "local lines = {}\n"
      "local w = coroutine.wrap(function ()\n"
      "  for l = 0, 3 do\n"
      "    local i = debug.getinfo(main, l, 'Sl')\n"
      "    lines[#lines + 1] = i and (i.what .. i.currentline) or 'none'\n"
      "  end\n"
      "end)\n"
      "w()\n"
      "print(table.concat(lines, ' '))\n";
  EXPECT_EQ(output_of(script),
            "0\tC\t-1\tyield\n"
            "1\tLua\t1\tinner\n"
            "2\tLua\t3\tnil\n"
            "3\tnil\tnil\tnil\n"
            "C-1 main18 C-1 none\n");
}

TEST(Debug, TracebackTextAndLuaCsHandlerInAClosedVariable) {
  const char* script =
      "local function f() error('boom') end\n"
      "print(select(2, xpcall(f, debug.traceback)))\n"
      "local x <close> = setmetatable({}, {__close = function (_, e) print(e) end})\n"
      "f()\n";
  const replay_test::Run r = run_lua(script);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "t.lua:1: boom\n"
            "stack traceback:\n"
            "\t[C]: in function 'error'\n"
            "\tt.lua:1: in function <t.lua:1>\n"
            "\t[C]: in function 'xpcall'\n"
            "\tt.lua:2: in main chunk\n"
            "\t[C]: in ?\n"
            "t.lua:1: boom\n"
            "stack traceback:\n"
            "\t[C]: in function 'error'\n"
            "\tt.lua:1: in local 'f'\n"
            "\tt.lua:4: in main chunk\n"
            "\t[C]: in ?\n");
}

TEST(Debug, UpvaluesAndMisuse) {
  const char* script =
      "local a, b = 1, 2\n"
      "local function f() return a + b end\n"
      "print(debug.getupvalue(f, 2))\n"
      "print(debug.setupvalue(f, 1, 40), f())\n"
      "print(select('#', debug.getupvalue(f, 3)))\n"
      "print(pcall(debug.getupvalue, {}, 1))\n"
      "print(pcall(debug.getinfo, 1, 'q'))\n"
      "print(pcall(debug.traceback, coroutine.create(print), 'm', 'x'))\n";
  EXPECT_EQ(output_of(script),
            "b\t2\n"
            "a\t42\n"
            "0\n"
            "false\tbad argument #1 to 'debug.getupvalue' (function expected, got table)\n"
            "false\tbad argument #2 to 'debug.getinfo' (invalid option)\n"
            "false\tbad argument #3 to 'debug.traceback' (number expected, got string)\n");
}

TEST(Debug, EnvIsListedWhereLuaListsIt) {
  const char* script =
      "local up = 1\n"
      "local function f() return up, x end\n"
      "local function g() return x, up end\n"
      "local function h() local _ENV = {} return up end\n"
      "print(debug.getupvalue(load 'a = 1', 1) == '_ENV', select(2, debug.getupvalue(load '', 1)) "
      "== _G)\n"
      "print(debug.getupvalue(f, 2), debug.getupvalue(g, 1), debug.getupvalue(h, 1))\n"
      "print(debug.getinfo(f, 'u').nups, debug.getinfo(h, 'u').nups, debug.getinfo(1, 'u').nups)\n"
      "local k = load 'return function () return v end' ()\n"
      "print(debug.setupvalue(k, 1, {v = 'mine'}), k())\n";
  EXPECT_EQ(output_of(script),
            "true\ttrue\n"
            "_ENV\t_ENV\tup\t1\n"
            "2\t1\t1\n"
            "_ENV\tmine\n");
}

// Hooks: the collector runs inside a hook (the hook function is held only by the thread's hook
// state) and collects a suspended coroutine that has a hook of its own.
TEST(DebugHooks, CollectorInsideAHookAndCollectedHookedCoroutines) {
  const char* script =
      "local n = 0\n"
      "debug.sethook(function (e, l)\n"
      "  n = n + 1\n"
      "  if n % 3 == 0 then collectgarbage() end\n"
      "end, \"crl\")\n"
      "local t = {}\n"
      "for i = 1, 5 do t[i] = {i} end\n"
      "debug.sethook()\n"
      "print(n, #t)\n"
      "local co = coroutine.create(function () coroutine.yield() end)\n"
      "debug.sethook(co, function () end, \"l\")\n"
      "coroutine.resume(co)\n"
      "co = nil\n"
      "collectgarbage()\n"
      "print(\"collected\")\n";
  EXPECT_EQ(output_of(script),
            "9\t5\n"
            "collected\n");
}

// An error inside a hook (a table) leaves hooks on; hooks on every call of a deep recursion;
// counts of 1, 2^31 - 1, and 2^32 + 5 (cast to an int as ldblib does).
TEST(DebugHooks, ErrorsInHooksAndCountLimits) {
  const char* script =
      "local hits = 0\n"
      "debug.sethook(function (e, l)\n"
      "  hits = hits + 1\n"
      "  if l == 7 then error({code = 7}) end\n"
      "end, \"l\")\n"
      "local function body()\n"
      "  local a = 1\n"
      "end\n"
      "local ok, err = pcall(body)\n"
      "local b = 2\n"
      "debug.sethook()\n"
      "print(ok, type(err), err.code, hits)\n"
      "local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end\n"
      "local calls = 0\n"
      "debug.sethook(function () calls = calls + 1 end, \"c\")\n"
      "print(deep(100))\n"
      "debug.sethook()\n"
      "print(calls)\n"
      "debug.sethook(function () end, \"\", 1)\n"
      "local s = 0\n"
      "for i = 1, 10 do s = s + i end\n"
      "debug.sethook(function () end, \"\", 2^31 - 1)\n"
      "print(s, select(3, debug.gethook()))\n"
      "debug.sethook(function () end, \"\", 2^32 + 5)\n"
      "print(select(2, debug.gethook()), select(3, debug.gethook()))\n"
      "debug.sethook()\n";
  EXPECT_EQ(output_of(script),
            "false\ttable\t7\t5\n"
            "100\n"
            "103\n"
            "55\t2147483647\n"
            "\t5\n");
}

// A hook closes a suspended coroutine (its __close handler runs); a coroutine's hook tries to
// close the coroutine running it.
TEST(DebugHooks, HooksThatCloseCoroutines) {
  const char* script =
      "local victim = coroutine.create(function ()\n"
      "  local x <close> = setmetatable({}, {__close = function () print(\"victim closed\") end})\n"
      "  coroutine.yield()\n"
      "end)\n"
      "coroutine.resume(victim)\n"
      "local done = false\n"
      "debug.sethook(function ()\n"
      "  if not done then\n"
      "    done = true\n"
      "    print(\"close from hook\", coroutine.close(victim))\n"
      "  end\n"
      "end, \"l\")\n"
      "local y = 1\n"
      "debug.sethook()\n"
      "local self_closer\n"
      "self_closer = coroutine.create(function ()\n"
      "  debug.sethook(function ()\n"
      "    debug.sethook()\n"
      "    print(pcall(coroutine.close, self_closer))\n"
      "  end, \"l\")\n"
      "  local z = 1\n"
      "  return \"finished\"\n"
      "end)\n"
      "print(coroutine.resume(self_closer))\n";
  EXPECT_EQ(output_of(script),
            "victim closed\n"
            "close from hook\ttrue\n"
            "false\tcannot close a running coroutine\n"
            "true\tfinished\n");
}

// Every call event resumes a new coroutine whose own hook does the same: the C levels each hook
// takes run out, as in lua5.4 (the error leaves the hook uncaught).
TEST(DebugHooks, HooksResumingHookedCoroutinesRunOutOfCLevels) {
  const char* script =
      "local depth = 0\n"
      "local function hook()\n"
      "  depth = depth + 1\n"
      "  local co = coroutine.create(function () return 1 end)\n"
      "  debug.sethook(co, hook, \"c\")\n"
      "  local ok, err = coroutine.resume(co)\n"
      "  if not ok then error(err, 0) end\n"
      "end\n"
      "local function target() return 1 end\n"
      "local function run() debug.sethook(hook, \"c\") return target() end\n"
      "local ok, err = pcall(run)\n"
      "debug.sethook()\n"
      "print(ok, err, depth > 100)\n";
  const replay_test::Run r = run_lua(script);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "jmpco-replay: C stack overflow\n");
}

// A count hook that does nothing does not hide an endless loop from the step budget.
TEST(DebugHooks, StepBudgetEndsALoopUnderACountHook) {
  replay::options opts = replay_test::test_options();
  opts.max_steps = 10000;
  const replay_test::Run r =
      run_lua("debug.sethook(function () end, '', 1)\nwhile true do end\n", opts);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "jmpco-replay: step budget exhausted\n");
}

// `function a.b() ... end` stores at its `function` line (the line a line hook reports for it),
// so an error in the store is reported there, not at its `end`.
TEST(DebugHooks, FunctionStatementStoresAtItsFunctionLine) {
  const replay_test::Run r = run_lua("local a\nfunction a.b()\nend\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "jmpco-replay: t.lua:2: attempt to index a nil value (local 'a')\n");
}

}  // namespace
