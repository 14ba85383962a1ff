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

#if !defined(JMPCO_CHECKED)
#if defined(NDEBUG)
#define JMPCO_CHECKED 0
#else
#define JMPCO_CHECKED 1
#endif
#endif

namespace jmpco::detail {
constexpr unsigned char kVacatedStackByte = 0xdb;
}  // namespace jmpco::detail

#endif  // JMPCO_LIB_CHECKED_MODE_HPP
