// SPDX-License-Identifier: MIT
// Checked mode: patterns that the README calls invalid fail loudly and the same way every time,
// instead of silently reading or corrupting another context's bytes. On by default unless NDEBUG
// is defined (debug, asan, valgrind and fortify presets); -DJMPCO_CHECKED=1 or =0 decides
// explicitly (the fuzz preset turns it on, release builds leave it off). It changes no layout,
// so a checked library links with unchecked code and the other way round.
//
// What it does: every stack byte a switch saves to a heap copy is then filled with
// kVacatedStackByte, so a pointer or string_view into a suspended coroutine's stack reads
// 0xdbdb... (on 64-bit targets a non-canonical address, which faults when dereferenced).
#ifndef JMPCO_LIB_CHECKED_MODE_HPP
#define JMPCO_LIB_CHECKED_MODE_HPP

#include <cstddef>

// GCC for Thumb (Cortex-M) without optimisation points __builtin_frame_address(0) at the bottom of
// a frame's locals rather than its top, so a switch cannot tell where its own frame ends and the
// fill would overwrite the locals it still uses: checked mode is off there by default and refused
// when asked for.
#if defined(__thumb__) && !defined(__OPTIMIZE__) && !defined(__clang__)
#define JMPCO_CHECKED_UNSUPPORTED 1
#else
#define JMPCO_CHECKED_UNSUPPORTED 0
#endif

#if !defined(JMPCO_CHECKED)
#if defined(NDEBUG) || JMPCO_CHECKED_UNSUPPORTED
#define JMPCO_CHECKED 0
#else
#define JMPCO_CHECKED 1
#endif
#endif

#if JMPCO_CHECKED && JMPCO_CHECKED_UNSUPPORTED
#error "jmpco: checked mode on Thumb with GCC needs -Og or higher (or JMPCO_CHECKED=0)"
#endif

namespace jmpco::detail {
constexpr unsigned char kVacatedStackByte = 0xdb;
}  // namespace jmpco::detail

#endif  // JMPCO_LIB_CHECKED_MODE_HPP
