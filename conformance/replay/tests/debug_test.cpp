// SPDX-License-Identifier: MIT
// The debug library's subset: getinfo and traceback of the running thread and of suspended and
// normal coroutines (whose call records must stay readable while jmpco holds their stacks copied
// out), upvalues, and the misuse messages. Expected outputs are what lua5.4 printed (t.lua).
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

}  // namespace
