// SPDX-License-Identifier: MIT
#include "jmpco/coroutine.hpp"

namespace jmpco::this_coroutine {

void raise(const error& e) {
#if JMPCO_EXCEPTIONS
  e.rethrow();
#else
  coroutine_core::die_with(e);
#endif
}

}  // namespace jmpco::this_coroutine
