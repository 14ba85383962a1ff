// SPDX-License-Identifier: MIT
// The coroutine whose resume+yield round trip bench/roundtrip_instructions.cpp (callgrind) and
// bench/bare_metal_roundtrip.cpp (Cortex-M under qemu) count: it yields forever with `Live` bytes
// of live stack, read and written around each yield.
#ifndef JMPCO_BENCH_ROUNDTRIP_BODY_HPP
#define JMPCO_BENCH_ROUNDTRIP_BODY_HPP

#include <cstddef>

#include "jmpco/jmpco.hpp"

namespace bench {

template <std::size_t Live>
jmpco::coroutine<void()> roundtrip_coroutine() {
  return jmpco::coroutine<void()>([](jmpco::yielder<void()>& y) {
    volatile unsigned char live[Live + 1];
    live[0] = 1;
    for (;;) {
      y.yield();
      live[Live] = live[0];
    }
  });
}

}  // namespace bench

#endif  // JMPCO_BENCH_ROUNDTRIP_BODY_HPP
