// SPDX-License-Identifier: MIT
#include "stack_bounds_linux_main_thread.hpp"

#if defined(__linux__)
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace jmpco::detail {
namespace {

// Parses the hexadecimal number at `text`, moving `text` past it.
std::uintptr_t parse_hex(const char*& text) noexcept {
  std::uintptr_t value = 0;
  for (;; ++text) {
    const char c = *text;
    if (c >= '0' && c <= '9') {
      value = value * 16 + static_cast<std::uintptr_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value = value * 16 + static_cast<std::uintptr_t>(c - 'a' + 10);
    } else {
      return value;
    }
  }
}

}  // namespace

void maps_scanner::feed(const char* bytes, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (bytes[i] == '\n') {
      take_line();
    } else if (length_ + 1 < sizeof line_) {
      line_[length_++] = bytes[i];
    }
  }
}

void maps_scanner::finish() noexcept {
  if (length_ > 0) take_line();
}

// Each line starts "low-high ", in ascending order of addresses.
void maps_scanner::take_line() noexcept {
  line_[length_] = '\0';
  length_ = 0;
  if (found_) return;
  const char* text = line_;
  const std::uintptr_t low = parse_hex(text);
  if (*text != '-') return;
  ++text;
  const std::uintptr_t high = parse_hex(text);
  if (sp_ >= low && sp_ < high) {
    found_ = true;
    high_ = high;
  } else if (high <= sp_) {
    below_high_ = high;
  }
}

stack_bounds main_thread_stack_extent(const maps_scanner& scanner, std::uint64_t rlimit) noexcept {
  if (!scanner.found()) return {0, 0};
  const std::uintptr_t high = scanner.mapping_high();
  // Nothing may come closer than the guard gap to the mapping below.
  std::uintptr_t floor = scanner.below_high() + kLinuxStackGuardGap;
  if (floor < scanner.below_high() || floor >= high) return {0, 0};
  if (rlimit < high - floor) floor = high - static_cast<std::uintptr_t>(rlimit);
  return {floor, high};
}

#if defined(__linux__)

bool is_linux_main_thread() noexcept { return static_cast<long>(getpid()) == syscall(SYS_gettid); }

stack_bounds linux_main_thread_stack_bounds() noexcept {
  rlimit limit{};
  if (getrlimit(RLIMIT_STACK, &limit) != 0) return {0, 0};
  const std::uint64_t bytes = limit.rlim_cur == RLIM_INFINITY ? ~std::uint64_t{0} : limit.rlim_cur;
  const int maps = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (maps < 0) return {0, 0};
  char here = 0;
  maps_scanner scanner(reinterpret_cast<std::uintptr_t>(&here));
  char chunk[512];
  for (;;) {
    const ssize_t got = read(maps, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    scanner.feed(chunk, static_cast<std::size_t>(got));
  }
  close(maps);
  scanner.finish();
  return main_thread_stack_extent(scanner, bytes);
}

#else

bool is_linux_main_thread() noexcept { return false; }
stack_bounds linux_main_thread_stack_bounds() noexcept { return {0, 0}; }

#endif

}  // namespace jmpco::detail
