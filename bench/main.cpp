// SPDX-License-Identifier: MIT
// Runs every registered benchmark in one process, so that all libraries are measured in the same
// run on the same machine state.
#include <benchmark/benchmark.h>

#include <string>

#include "registry.hpp"

namespace bench {

void add_library(const std::string& name, const std::string& description) {
  benchmark::AddCustomContext("library:" + name, description);
}

}  // namespace bench

int main(int argc, char** argv) {
  bench::install_jmpco_allocator();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
#if defined(__VERSION__)
  benchmark::AddCustomContext("compiler", __VERSION__);
#endif
  benchmark::AddCustomContext("build", JMPCO_BENCH_BUILD_FLAGS);

  bench::register_jmpco();
  bench::register_baselines();
  bench::register_copy_stack_floor();
#if JMPCO_BENCH_HAVE_BOOST_CONTEXT
  bench::register_boost_context();
#endif
#if JMPCO_BENCH_HAVE_UCONTEXT
  bench::register_ucontext();
#endif
#if JMPCO_BENCH_HAVE_LUA
  bench::register_lua();
#endif
#if JMPCO_BENCH_HAVE_CXX20
  bench::register_cxx20();
#endif
  bench::register_thread();
  bench::register_channels();
  bench::register_spawn();

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
