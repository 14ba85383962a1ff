// SPDX-License-Identifier: MIT
// Targets whose stack model breaks copied-stack switching, refused when compiling rather than
// failing at run time. (Intel CET shadow stacks are switched on per process by the kernel, not by
// the compiler, so they are detected at run time: see lib/platform_refusal.cpp.)
#ifndef JMPCO_DETAIL_UNSUPPORTED_TARGETS_HPP
#define JMPCO_DETAIL_UNSUPPORTED_TARGETS_HPP

#if defined(__sparc__) || defined(__sparc)
// The caller's registers live in register windows that the CPU spills to the stack only when it
// runs out of them: a copied stack segment would miss the frames still held in the windows.
#error "jmpco does not support SPARC: its register windows are not on the stack that jmpco copies"
#elif defined(__ia64__) || defined(__ia64) || defined(_M_IA64)
// IA-64 keeps a second stack (the register stack engine's backing store) that is never copied.
#error "jmpco does not support IA-64: its register stack is a second stack that jmpco does not copy"
#elif defined(__XTENSA_WINDOWED_ABI__)
// As SPARC: the windowed ABI of Xtensa (ESP32, ESP32-S2/S3) keeps frames in register windows.
// Xtensa's call0 ABI (-mabi=call0) has no windows and is not refused.
#error "jmpco does not support Xtensa's windowed ABI (ESP32): build with the call0 ABI"
#elif defined(__hppa__) || defined(__hppa)
// PA-RISC's stack grows upward; jmpco's chain of stack segments assumes a downward stack.
#error "jmpco does not support PA-RISC: its stack grows upward"
#endif

#endif  // JMPCO_DETAIL_UNSUPPORTED_TARGETS_HPP
