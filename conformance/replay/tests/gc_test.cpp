// SPDX-License-Identifier: MIT
// collectgarbage() with coroutines: what their suspended frames hold survives a collection (their
// saved stacks are invisible to the collector), unreachable coroutines go, weak tables and
// finalizers behave as in Lua 5.4.4. Expected outputs are what lua5.4 printed (chunk name t.lua).
#include <gtest/gtest.h>

#include "run_helper.hpp"

using replay_test::output_of;

namespace {

// The only references to these tables live in the frames of suspended coroutines (nested calls,
// cycles, closures' cells). Any table freed too early is a use after free under AddressSanitizer.
TEST(Collector, SuspendedFramesKeepTheirTablesThroughCollections) {
  const char* script =
      "local function build(n)\n"
      "  local t = {}\n"
      "  for i = 1, n do t[i] = {i, parent = t} end\n"
      "  return t\n"
      "end\n"
      "local function body(n)\n"
      "  local t = build(n)\n"
      "  local cell = {sum = 0}\n"
      "  local add = function (x) cell.sum = cell.sum + x end\n"
      "  local function deep(k)\n"
      "    if k == 0 then coroutine.yield(#t) return end\n"
      "    local mine = build(k)\n"
      "    deep(k - 1)\n"
      "    for i = 1, k do add(mine[i][1]) end\n"
      "  end\n"
      "  deep(5)\n"
      "  coroutine.yield(cell.sum)\n"
      "  for i = 1, n do add(t[i][1] + (t[i].parent == t and 0 or 1000)) end\n"
      "  return cell.sum\n"
      "end\n"
      "local cos = {}\n"
      "for i = 1, 20 do cos[i] = coroutine.create(body) end\n"
      "for round = 1, 3 do\n"
      "  local total = 0\n"
      "  for i = 1, 20 do\n"
      "    collectgarbage()\n"
      "    local ok, v = coroutine.resume(cos[i], i)\n"
      "    assert(ok, v)\n"
      "    total = total + v\n"
      "  end\n"
      "  print(round, total)\n"
      "end\n"
      "collectgarbage()\n"
      "print(coroutine.status(cos[20]))\n";
  EXPECT_EQ(output_of(script),
            "1\t210\n"
            "2\t700\n"
            "3\t2240\n"
            "dead\n");
}

TEST(Collector, UnreachableSuspendedCoroutinesAndWhatOnlyTheyHeldGoInOneCollection) {
  const char* script =
      "collectgarbage('stop')\n"
      "local weak = setmetatable({}, {__mode = 'k'})\n"
      "for i = 1, 5 do\n"
      "  local co = coroutine.wrap(function ()\n"
      "    local t = {}\n"
      "    t.me = t\n"
      "    weak[t] = 'table'\n"
      "    coroutine.yield()\n"
      "  end)\n"
      "  co()\n"
      "  weak[co] = 'wrap'\n"
      "end\n"
      "local n = 0\n"
      "for _ in pairs(weak) do n = n + 1 end\n"
      "print(n)\n"
      "collectgarbage()\n"
      "n = 0\n"
      "for _ in pairs(weak) do n = n + 1 end\n"
      "print(n)\n";
  EXPECT_EQ(output_of(script), "10\n0\n");
}

TEST(Collector, FinalizersRunInReverseOrderAndAtTheEnd) {
  const char* script =
      "for i = 1, 3 do setmetatable({}, {__gc = function () print('gc', i) end}) end\n"
      "collectgarbage()\n"
      "local keep = setmetatable({}, {__gc = function () print('at close') end})\n"
      "print('end')\n";
  EXPECT_EQ(output_of(script), "gc\t3\ngc\t2\ngc\t1\nend\nat close\n");
}

}  // namespace
