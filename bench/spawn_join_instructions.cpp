// SPDX-License-Identifier: MIT
// COUNT spawn + join of a task that returns a value, for counting instructions under callgrind
// (the count repeats exactly on a shared machine), and the allocations they make:
//   spawn_join_instructions MODE COUNT
// MODE: cache (jmpco's scheduler, default cache limit), no-cache (cache limit 0), boost-fiber
// (boost::fibers::fiber + join, when built with Boost.Fiber). Run COUNT 0 and COUNT 100000 under
// `valgrind --tool=callgrind` and divide the difference by 100000 (bench/README.md). Prints the
// allocations jmpco's allocator served per spawn + join.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "jmpco/jmpco.hpp"

#if JMPCO_BENCH_HAVE_BOOST_FIBER
#include <boost/fiber/all.hpp>
#endif

namespace {

long allocations = 0;

void* counting_allocate(std::size_t size, void*) {
  ++allocations;
  return std::malloc(size);
}
void counting_deallocate(void* block, std::size_t, void*) { std::free(block); }

int jmpco_spawn_joins(long count, std::size_t cache_limit) {
  jmpco::scheduler s;
  s.set_cache_limit(cache_limit);
  int v = 0;
  for (long i = 0; i < count; ++i) {
    auto r = s.spawn([](int x) { return x + 1; }, v).join();
    if (!r) std::abort();
    v = *r;
  }
  return v;
}

#if JMPCO_BENCH_HAVE_BOOST_FIBER
int boost_spawn_joins(long count) {
  int v = 0;
  for (long i = 0; i < count; ++i) {
    int r = 0;
    boost::fibers::fiber f([&r, v] { r = v + 1; });
    f.join();
    v = r;
  }
  return v;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  jmpco::allocator counting;
  counting.allocate = &counting_allocate;
  counting.deallocate = &counting_deallocate;
  jmpco::set_allocator(counting);
  const long count = std::atol(argv[2]);
  int v = 0;
  if (std::strcmp(argv[1], "cache") == 0) {
    v = jmpco_spawn_joins(count, jmpco::scheduler::default_cache_limit);
  } else if (std::strcmp(argv[1], "no-cache") == 0) {
    v = jmpco_spawn_joins(count, 0);
#if JMPCO_BENCH_HAVE_BOOST_FIBER
  } else if (std::strcmp(argv[1], "boost-fiber") == 0) {
    v = boost_spawn_joins(count);
#endif
  } else {
    return 2;
  }
  if (v != count) return 1;
  std::printf("%s: %ld spawn+join, %ld allocations by jmpco (%.3f each)\n", argv[1], count,
              allocations, count > 0 ? static_cast<double>(allocations) / count : 0.0);
  return 0;
}
