// SPDX-License-Identifier: MIT
// Without exceptions there is no per-thread exception record to keep apart. Other ABIs (MSVC)
// are not supported with exceptions yet: see the README.
#ifndef JMPCO_LIB_EXCEPTION_STATE_NONE_HPP
#define JMPCO_LIB_EXCEPTION_STATE_NONE_HPP

#include "jmpco/core.hpp"

namespace jmpco::detail {
inline void* exception_state_record() noexcept { return nullptr; }
inline void swap_exception_state(void*, context*, const context*) noexcept {}
inline void load_exception_state(void*, const context*) noexcept {}
}  // namespace jmpco::detail

#endif  // JMPCO_LIB_EXCEPTION_STATE_NONE_HPP
