// SPDX-License-Identifier: MIT
// The main thread's stack on Linux: the kernel grows its mapping on demand, up to RLIMIT_STACK,
// so the part mapped so far says little about how deep it may go. glibc's pthread_getattr_np
// derives the size from the rlimit; musl's reports only the mapped part (128 KiB where glibc says
// 8 MiB), which made `resume` report a stack overflow after a handful of nested coroutines.
#ifndef JMPCO_LIB_STACK_BOUNDS_LINUX_MAIN_THREAD_HPP
#define JMPCO_LIB_STACK_BOUNDS_LINUX_MAIN_THREAD_HPP

#include <cstddef>
#include <cstdint>

#include "thread_state.hpp"

namespace jmpco::detail {

// What the kernel keeps free below a growing stack (its stack_guard_gap, 256 pages by default):
// the stack cannot grow closer than this to the mapping beneath it.
constexpr std::uintptr_t kLinuxStackGuardGap = std::uintptr_t{256} * 4096;

// Reads /proc/self/maps-formatted lines fed in pieces (no allocation: it runs when a thread first
// resumes, perhaps with the allocator failing): finds the mapping that holds `sp` and the end of
// the mapping just below it.
class maps_scanner {
 public:
  explicit maps_scanner(std::uintptr_t sp) noexcept : sp_(sp) {}
  void feed(const char* bytes, std::size_t count) noexcept;
  void finish() noexcept;  // takes a last line that has no newline
  bool found() const noexcept { return found_; }
  std::uintptr_t mapping_high() const noexcept { return high_; }
  std::uintptr_t below_high() const noexcept { return below_high_; }  // 0: nothing below

 private:
  void take_line() noexcept;

  std::uintptr_t sp_;
  char line_[64] = {};  // "low-high " is all a line needs; the rest is dropped
  std::size_t length_ = 0;
  bool found_ = false;
  std::uintptr_t high_ = 0;
  std::uintptr_t below_high_ = 0;
};

// The main thread's usable stack, from the mapping that holds it and the stack rlimit (`rlimit`
// bytes; ~0 for unlimited): as deep as the rlimit allows, never into the guard gap above the
// mapping below. {0, 0} when `scanner` did not find the stack.
stack_bounds main_thread_stack_extent(const maps_scanner& scanner, std::uint64_t rlimit) noexcept;

// True on Linux when the calling thread is the process's first one; false elsewhere.
bool is_linux_main_thread() noexcept;

// The calling main thread's stack from /proc/self/maps and getrlimit; {0, 0} when either fails.
stack_bounds linux_main_thread_stack_bounds() noexcept;

}  // namespace jmpco::detail

#endif  // JMPCO_LIB_STACK_BOUNDS_LINUX_MAIN_THREAD_HPP
