// SPDX-License-Identifier: MIT
// Resume+yield round trips on a Cortex-M under qemu-system-arm, for ci/bare-metal-size: the same
// coroutine as bench/roundtrip_instructions.cpp (0 and 256 live bytes), its memory from a static
// arena. qemu models no cycles; run with `-icount shift=0` every instruction advances virtual
// time by exactly 1 ns, and SysTick, clocked from the processor clock (25 MHz on mps2-an386),
// counts that virtual time. So SysTick ticks x 40 is the number of instructions executed.
// Prints, per live size, the ticks for kRoundTrips round trips and the instructions per round
// trip that they make (the loop that resumes included, as in ci/bench-instructions).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "jmpco/jmpco.hpp"
#include "roundtrip_body.hpp"
#include "static_arena.hpp"

namespace {

constexpr long kRoundTrips = 20000;
constexpr unsigned kNanosecondsPerTick = 40;  // 25 MHz

// The SysTick registers of every ARMv7-M core.
volatile std::uint32_t& systick_control() {
  return *reinterpret_cast<volatile std::uint32_t*>(0xE000E010u);
}
volatile std::uint32_t& systick_reload() {
  return *reinterpret_cast<volatile std::uint32_t*>(0xE000E014u);
}
volatile std::uint32_t& systick_current() {
  return *reinterpret_cast<volatile std::uint32_t*>(0xE000E018u);
}
constexpr std::uint32_t kCounterMask = 0xFFFFFFu;  // a 24-bit down counter

void start_systick() {
  systick_reload() = kCounterMask;
  systick_current() = 0;        // any write clears it
  systick_control() = 1u | 4u;  // enabled, processor clock, no interrupt
}

// Ticks from `start` to now; one wrap of the counter (0.67 s of virtual time) at most.
std::uint32_t ticks_since(std::uint32_t start) {
  return (start - systick_current()) & kCounterMask;
}

template <std::size_t Live>
std::uint32_t measure() {
  jmpco::coroutine<void()> co = bench::roundtrip_coroutine<Live>();
  if (!co.resume()) std::abort();
  const std::uint32_t start = systick_current();
  for (long i = 0; i < kRoundTrips; ++i) {
    if (!co.resume()) std::abort();
  }
  return ticks_since(start);
}

void report(const char* label, std::uint32_t ticks) {
  const unsigned long long instructions =
      static_cast<unsigned long long>(ticks) * kNanosecondsPerTick;
  std::printf(
      "%s live: %lu round trips in %lu SysTick ticks = %llu instructions, %llu per round trip\n",
      label, static_cast<unsigned long>(kRoundTrips), static_cast<unsigned long>(ticks),
      instructions, instructions / kRoundTrips);
}

alignas(jmpco_port::static_arena::alignment) unsigned char arena_buffer[16 * 1024];

}  // namespace

int main() {
  static jmpco_port::static_arena arena(arena_buffer, sizeof arena_buffer);
  jmpco::set_allocator(arena.hooks());
  start_systick();
  report("0 B", measure<0>());
  report("256 B", measure<256>());
  return 0;
}
