// SPDX-License-Identifier: MIT
// Peer: Lua 5.4 coroutines through the C API. Two bodies: a Lua function that calls
// coroutine.yield() (the usual Lua coroutine), and a C function that yields with lua_yieldk and a
// continuation (Lua's machinery without the interpreter loop). The host resumes with lua_resume.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <lua.hpp>
#include <string>

#include "common.hpp"
#include "registry.hpp"

namespace {

void check(lua_State* L, int status, const char* what) {
  if (status != LUA_OK) {
    std::fprintf(stderr, "lua: %s: %s\n", what, lua_tostring(L, -1));
    std::abort();
  }
}

// A state with the standard libraries, from the default allocator or a counting one.
lua_State* new_state(bench::heap_count* count = nullptr) {
  lua_State* L = nullptr;
  if (count == nullptr) {
    L = luaL_newstate();
  } else {
    L = lua_newstate(
        [](void* ud, void* ptr, std::size_t osize, std::size_t nsize) -> void* {
          auto* heap = static_cast<bench::heap_count*>(ud);
          if (nsize == 0) {
            if (ptr != nullptr) heap->on_free(ptr, osize);
            std::free(ptr);
            return nullptr;
          }
          if (ptr != nullptr) heap->on_free(ptr, osize);  // osize is the block's size then
          void* p = std::realloc(ptr, nsize);
          if (p != nullptr) {
            heap->on_allocate(p, nsize);
          } else if (ptr != nullptr) {
            heap->on_allocate(ptr, osize);  // the old block stays
          }
          return p;
        },
        count);
  }
  if (L == nullptr) std::abort();
  luaL_openlibs(L);
  return L;
}

// Pushes the value of a Lua chunk that returns one value.
void push_chunk(lua_State* L, const char* code) {
  check(L, luaL_loadstring(L, code), "load");
  check(L, lua_pcall(L, 0, 1, 0), "run");
}

constexpr const char* kYieldForever = "return function() while true do coroutine.yield() end end";

int yield_again(lua_State* L, int, lua_KContext) { return lua_yieldk(L, 0, 0, &yield_again); }
int c_yield_forever(lua_State* L) { return lua_yieldk(L, 0, 0, &yield_again); }

// Resumes `co` once; it must yield.
inline void resume_yielded(lua_State* co, lua_State* from, int nargs = 0) {
  int nres = 0;
  const int status = lua_resume(co, from, nargs, &nres);
  if (status != LUA_YIELD) {
    std::fprintf(stderr, "lua: resume: %s\n", lua_tostring(co, -1));
    std::abort();
  }
  lua_pop(co, nres);
}

// A new thread on L's stack running the function on top of L's stack (which stays there).
lua_State* new_coroutine(lua_State* L) {
  lua_State* co = lua_newthread(L);
  lua_pushvalue(L, -2);
  lua_xmove(L, co, 1);
  return co;
}

void roundtrip_lua_function(benchmark::State& state) {
  lua_State* L = new_state();
  push_chunk(L, kYieldForever);
  lua_State* co = new_coroutine(L);
  resume_yielded(co, L);
  for (auto _ : state) resume_yielded(co, L);
  lua_close(L);
}

void roundtrip_c_function(benchmark::State& state) {
  lua_State* L = new_state();
  lua_pushcfunction(L, &c_yield_forever);
  lua_State* co = new_coroutine(L);
  resume_yielded(co, L);
  for (auto _ : state) resume_yielded(co, L);
  lua_close(L);
}

// lua_newthread, first resume of an empty Lua function, which returns; the thread is dropped
// from the stack and the garbage collector frees it (its incremental steps fall in the loop).
void create_finish_destroy(benchmark::State& state) {
  lua_State* L = new_state();
  push_chunk(L, "return function() end");
  for (auto _ : state) {
    lua_State* co = new_coroutine(L);
    int nres = 0;
    if (lua_resume(co, L, 0, &nres) != LUA_OK) std::abort();
    lua_pop(L, 1);
  }
  lua_close(L);
}

void chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  lua_State* L = new_state();
  push_chunk(L, R"(return function(depth)
    local co = coroutine.create(function() while true do coroutine.yield() end end)
    for i = 2, depth do
      local child = co
      co = coroutine.create(function()
        while true do
          assert(coroutine.resume(child))
          coroutine.yield()
        end
      end)
    end
    return co
  end)");
  lua_pushinteger(L, depth);
  check(L, lua_pcall(L, 1, 1, 0), "build chain");
  lua_State* top = lua_tothread(L, -1);  // stays anchored on L's stack
  resume_yielded(top, L);
  for (auto _ : state) resume_yielded(top, L);
  state.counters["switches"] = 2.0 * depth;
  lua_close(L);
}

// A Lua coroutine yielding i*3+1; the host reads each value with lua_tointeger.
void generator_iteration(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  lua_State* L = new_state();
  push_chunk(L, "return function(n) for i = 0, n - 1 do coroutine.yield(i * 3 + 1) end end");
  for (auto _ : state) {
    lua_State* co = new_coroutine(L);
    lua_pushinteger(co, items);
    long long sum = 0;
    int nres = 0;
    int nargs = 1;  // the first resume passes `items`
    while (lua_resume(co, L, nargs, &nres) == LUA_YIELD) {
      nargs = 0;
      int v = static_cast<int>(lua_tointeger(co, -1));
      lua_pop(co, nres);
      benchmark::DoNotOptimize(v);
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
    lua_pop(L, 1);
  }
  state.SetItemsProcessed(state.iterations() * items);
  lua_close(L);
}

// Bytes per suspended coroutine: kMemoryBatch threads, each resumed to its first yield and kept
// in a preallocated table; the difference of the state's allocated bytes after full collections.
void memory(benchmark::State& state) {
  bench::heap_count heap;
  bench::heap_count total;
  lua_State* L = new_state(&heap);
  for (auto _ : state) {
    lua_settop(L, 0);
    push_chunk(L, kYieldForever);                // index 1
    lua_createtable(L, bench::kMemoryBatch, 0);  // index 2
    lua_gc(L, LUA_GCCOLLECT);
    const bench::heap_count before = heap;
    for (int i = 1; i <= bench::kMemoryBatch; ++i) {
      lua_State* co = lua_newthread(L);
      lua_pushvalue(L, 1);
      lua_xmove(L, co, 1);
      resume_yielded(co, L);
      lua_rawseti(L, 2, i);
    }
    lua_gc(L, LUA_GCCOLLECT);
    total.blocks = heap.blocks - before.blocks;
    total.requested = heap.requested - before.requested;
    total.usable = heap.usable - before.usable;
  }
  lua_close(L);
  const double n = bench::kMemoryBatch;
  state.counters["requested_bytes"] = static_cast<double>(total.requested) / n;
  state.counters["usable_bytes"] = static_cast<double>(total.usable) / n;
  state.counters["footprint_bytes"] = static_cast<double>(total.footprint()) / n;
  state.counters["blocks"] = static_cast<double>(total.blocks) / n;
}

}  // namespace

namespace bench {

void register_lua() {
  add_library("lua", std::string(LUA_RELEASE) + ", Lua function body (coroutine.yield)");
  add_library("lua-cfunction", std::string(LUA_RELEASE) + ", C function body (lua_yieldk)");
  bench::add("roundtrip/lua/0", roundtrip_lua_function);
  bench::add("roundtrip/lua-cfunction/0", roundtrip_c_function);
  bench::add("create/lua", create_finish_destroy);
  bench::add("chain/lua", chain)->Arg(10)->Arg(100);
  bench::add("generator/lua", generator_iteration)->Arg(1000);
  bench::add("memory/lua/0", memory)->Iterations(1);
}

}  // namespace bench
