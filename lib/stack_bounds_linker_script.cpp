// SPDX-License-Identifier: MIT
// Stack bounds on bare metal (an ELF target with no OS: arm-none-eabi, riscv*-unknown-elf): the
// firmware's linker script places the stack and says where, through two symbols,
//   jmpco_stack_bottom  the lowest address of the stack that main() runs on
//   jmpco_stack_top     one past its highest address (the initial stack pointer)
// (ports/mps2-an386/mps2-an386.ld defines them). They are weak references: firmware that does not
// define them links all the same and gets unknown bounds, as on an OS that cannot tell.
#include "thread_state.hpp"

#if defined(__ELF__) && !defined(__unix__)
extern "C" {
extern char jmpco_stack_bottom[] __attribute__((weak));
extern char jmpco_stack_top[] __attribute__((weak));
}

namespace jmpco::detail {

stack_bounds thread_stack_bounds() noexcept {
  const auto bottom = reinterpret_cast<std::uintptr_t>(jmpco_stack_bottom);
  const auto top = reinterpret_cast<std::uintptr_t>(jmpco_stack_top);
  if (bottom == 0 || top <= bottom) return {0, 0};
  return {bottom, top};
}

}  // namespace jmpco::detail
#endif
