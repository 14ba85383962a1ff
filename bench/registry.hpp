// SPDX-License-Identifier: MIT
// The benchmark binary's table of contents: each translation unit registers its benchmarks through
// one of these functions, which main.cpp calls for the peers that were found at configure time.
#ifndef JMPCO_BENCH_REGISTRY_HPP
#define JMPCO_BENCH_REGISTRY_HPP

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

namespace bench {

// The least of the repetitions: on a machine shared with other work, the closest to the cost of
// the code itself. Reported as the "min" aggregate next to Google Benchmark's mean/median/stddev.
inline double min_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

// Registers a benchmark with the "min" statistic.
template <class Fn>
benchmark::internal::Benchmark* add(const std::string& name, Fn fn) {
  return benchmark::RegisterBenchmark(name.c_str(), fn)->ComputeStatistics("min", &min_of);
}

// Records a library in the benchmark context ("library:NAME" = description) of the JSON output.
void add_library(const std::string& name, const std::string& description);

void install_jmpco_allocator();  // before any coroutine exists
void register_jmpco();
void register_baselines();
void register_copy_stack_floor();
void register_boost_context();
void register_ucontext();
void register_lua();
void register_cxx20();
void register_thread();
void register_channels();
void register_spawn();

}  // namespace bench

#endif  // JMPCO_BENCH_REGISTRY_HPP
