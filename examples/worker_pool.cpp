// SPDX-License-Identifier: MIT
// A worker pool with one scheduler per core: each worker thread runs its own scheduler with a few
// tasks that take jobs from one shared_channel and send results back on another. The main
// thread's scheduler feeds the jobs and collects the results. Nothing is lost: the sum of the
// squares of 1..1000 comes back whatever thread computed each.
#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "jmpco/jmpco.hpp"

int main() {
  constexpr long job_count = 1000;
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  jmpco::shared_channel<long> jobs(64);
  jmpco::shared_channel<long> results(64);

  std::vector<std::thread> workers;
  for (unsigned core = 0; core < cores; ++core) {
    workers.emplace_back([&] {
      jmpco::scheduler s;  // one scheduler per thread
      for (int i = 0; i < 4; ++i) {
        (void)s.spawn([&] {
          while (auto job = jobs.recv()) {
            if (!results.send(*job * *job)) return;
          }
        });
      }
      (void)s.run();  // blocks while waiting for jobs; ends when the jobs channel is closed
    });
  }

  jmpco::scheduler s;
  auto feeder = s.spawn([&] {
    for (long n = 1; n <= job_count; ++n) {
      if (!jobs.send(n)) return false;
    }
    return jobs.close().ok();
  });
  auto collector = s.spawn([&] {
    long sum = 0;
    for (long n = 0; n < job_count; ++n) sum += results.recv().value();
    return sum;
  });
  const long sum = collector.join().value();
  const bool fed = feeder.join().value();
  for (std::thread& w : workers) w.join();
  std::printf("%ld jobs on %s worker threads: sum of squares %ld\n", job_count,
              cores > 1 ? "several" : "one", sum);
  return fed && sum == job_count * (job_count + 1) * (2 * job_count + 1) / 6 ? 0 : 1;
}
