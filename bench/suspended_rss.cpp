// SPDX-License-Identifier: MIT
// How much resident memory suspended jmpco generators really take: creates COUNT trivial
// generators, starts each one (so it is suspended at its first yield with its stack slice copied
// to the heap), keeps them all at once, and reports peak RSS minus the baseline. Each COUNT runs in
// a child process of its own, so that one measurement's freed memory cannot hide the next one's.
//
// Usage: suspended_rss [--json FILE] [COUNT...]     (default COUNTs: 100000 1000000)
//
// Also reports the heap seen by a counting allocator (jmpco::set_allocator): bytes asked for,
// bytes malloc reserved (malloc_usable_size) plus glibc's per-block header, and the size of the
// stack copy of one trivial generator, bracketed to 16 bytes by adding padding to its frame.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common.hpp"
#include "jmpco/jmpco.hpp"

namespace {

bench::heap_count heap;

void* counting_allocate(std::size_t size, void*) {
  void* p = std::malloc(size);
  heap.on_allocate(p, size);
  return p;
}
void counting_deallocate(void* block, std::size_t size, void*) {
  heap.on_free(block, size);
  std::free(block);
}

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1.
long long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, len, field) == 0 && line.size() > len && line[len] == ':')
      return std::atoll(line.c_str() + len + 1);
  }
  return -1;
}

// Peak RSS so far in bytes: VmHWM, or getrusage's ru_maxrss where /proc is missing.
long long peak_rss() {
  const long long kib = status_kib("VmHWM");
  if (kib >= 0) return kib * 1024;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<long long>(ru.ru_maxrss) * 1024;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs); false where that is not possible.
bool reset_peak() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

using gen = jmpco::generator<int>;

template <std::size_t Pad>
gen make_generator() {
  return gen([](jmpco::yielder<int()>& y) {
    bench::live_stack<Pad> pad;
    for (int i = 0;; ++i) {
      y.yield(i);
      pad.touch();
    }
  });
}

void start(gen& g) {
  if (g.begin() == g.end()) std::abort();
}

// Bytes the first resume of a generator with Pad bytes of extra frame allocates (its stack copy,
// rounded up by the library).
template <std::size_t Pad>
long long copy_bytes() {
  gen g = make_generator<Pad>();
  const long long before = heap.requested;
  start(g);
  return heap.requested - before;
}

struct measurement {
  long long count = 0;
  long long baseline = 0;  // RSS before, bytes
  long long peak = 0;      // peak RSS after, bytes
  bool peak_was_reset = false;
  long long requested = 0;  // jmpco heap, bytes
  long long usable = 0;
  long long footprint = 0;
  long long blocks = 0;
  long long handles = 0;  // bytes of the vector of handles
  double seconds = 0;
};

measurement measure(long long count) {
  measurement m;
  m.count = count;
  {  // warm up: the thread's state and its own small stack buffer exist before the baseline
    gen warm = make_generator<0>();
    start(warm);
  }
  std::vector<gen> all;
  m.peak_was_reset = reset_peak();
  m.baseline = peak_rss();
  const bench::heap_count before = heap;
  const auto t0 = std::chrono::steady_clock::now();
  all.reserve(static_cast<std::size_t>(count));
  for (long long i = 0; i < count; ++i) {
    all.push_back(make_generator<0>());
    start(all.back());
  }
  const auto t1 = std::chrono::steady_clock::now();
  m.peak = peak_rss();
  m.requested = heap.requested - before.requested;
  m.usable = heap.usable - before.usable;
  m.blocks = heap.blocks - before.blocks;
  m.footprint = m.usable + m.blocks * static_cast<long long>(sizeof(std::size_t));
  m.handles = static_cast<long long>(sizeof(gen)) * count;
  m.seconds = std::chrono::duration<double>(t1 - t0).count();
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  jmpco::allocator a;
  a.allocate = &counting_allocate;
  a.deallocate = &counting_deallocate;
  jmpco::set_allocator(a);

  std::string json_path;
  std::vector<long long> counts;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
      json_path = argv[++i];
    } else if (argv[i][0] >= '0' && argv[i][0] <= '9') {
      counts.push_back(std::atoll(argv[i]));
    } else {
      std::fprintf(stderr, "usage: %s [--json FILE] [COUNT...]\n", argv[0]);
      return 2;
    }
  }
  if (counts.empty()) counts = {100000, 1000000};

  // The stack copy of one trivial generator: the copy grows in 64-byte steps, so padding the body's
  // frame 16 bytes at a time shows where the slice crosses the next step.
  const long long copies[] = {copy_bytes<0>(),  copy_bytes<16>(), copy_bytes<32>(),
                              copy_bytes<48>(), copy_bytes<64>(), copy_bytes<80>()};
  long long slice_low = 0, slice_high = copies[0];
  for (int k = 1; k < 6; ++k) {
    if (copies[k] > copies[0]) {  // slice + 16k > copies[0] >= slice + 16(k-1)
      slice_low = copies[0] - 16 * k + 1;
      slice_high = copies[0] - 16 * (k - 1);
      break;
    }
  }
  std::printf(
      "stack copy of a suspended trivial generator: %lld B allocated; live slice %lld..%lld B\n",
      copies[0], slice_low, slice_high);
  std::printf("sizeof(jmpco::generator<int>) handle: %zu B\n", sizeof(gen));

  std::vector<measurement> results;
  for (long long count : counts) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      close(fds[0]);
      const measurement m = measure(count);
      if (write(fds[1], &m, sizeof m) != static_cast<ssize_t>(sizeof m)) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    measurement m;
    const ssize_t got = read(fds[0], &m, sizeof m);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != static_cast<ssize_t>(sizeof m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "suspended_rss: the measurement of %lld generators failed\n", count);
      return 1;
    }
    results.push_back(m);
    const double n = static_cast<double>(m.count);
    const double delta = static_cast<double>(m.peak - m.baseline);
    std::printf(
        "%lld suspended generators: peak RSS +%.1f MiB = %.0f B each (handle %zu B + heap "
        "%.0f B asked, %.0f B with malloc's rounding and headers); created in %.3f s%s\n",
        m.count, delta / 1048576.0, delta / n, sizeof(gen), static_cast<double>(m.requested) / n,
        static_cast<double>(m.footprint) / n, m.seconds,
        m.peak_was_reset ? "" : " (peak not resettable: baseline is the peak so far)");
  }

  if (!json_path.empty()) {
    std::FILE* f = std::fopen(json_path.c_str(), "w");
    if (f == nullptr) {
      std::perror(json_path.c_str());
      return 1;
    }
    std::fprintf(f, "{\n  \"handle_bytes\": %zu,\n  \"stack_copy_bytes\": %lld,\n", sizeof(gen),
                 copies[0]);
    std::fprintf(f, "  \"slice_bytes_low\": %lld,\n  \"slice_bytes_high\": %lld,\n", slice_low,
                 slice_high);
    std::fprintf(f, "  \"runs\": [\n");
    for (std::size_t i = 0; i < results.size(); ++i) {
      const measurement& m = results[i];
      std::fprintf(f,
                   "    {\"count\": %lld, \"baseline_rss\": %lld, \"peak_rss\": %lld, "
                   "\"peak_reset\": %s, \"rss_per_coroutine\": %.1f, \"requested_per_coroutine\": "
                   "%.1f, \"usable_per_coroutine\": %.1f, \"footprint_per_coroutine\": %.1f, "
                   "\"blocks_per_coroutine\": %.2f, \"seconds\": %.4f}%s\n",
                   m.count, m.baseline, m.peak, m.peak_was_reset ? "true" : "false",
                   static_cast<double>(m.peak - m.baseline) / static_cast<double>(m.count),
                   static_cast<double>(m.requested) / static_cast<double>(m.count),
                   static_cast<double>(m.usable) / static_cast<double>(m.count),
                   static_cast<double>(m.footprint) / static_cast<double>(m.count),
                   static_cast<double>(m.blocks) / static_cast<double>(m.count), m.seconds,
                   i + 1 < results.size() ? "," : "");
    }
    std::fprintf(f, "  ]\n}\n");
    std::fclose(f);
  }
  return 0;
}
