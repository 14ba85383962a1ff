// SPDX-License-Identifier: MIT
// Whether the model is wrong on purpose. A model-checking target and its *_planted twin link the
// same object of the target's source and this file, compiled with JMPCO_FUZZ_PLANT_DIVERGENCE=1
// for the twin only (fuzz/CMakeLists.txt), so the costly source is compiled once.
#include "fuzz_support.hpp"

#ifndef JMPCO_FUZZ_PLANT_DIVERGENCE
#define JMPCO_FUZZ_PLANT_DIVERGENCE 0
#endif

namespace jmpco_fuzz {
extern const bool kPlantedDivergence = JMPCO_FUZZ_PLANT_DIVERGENCE != 0;
}  // namespace jmpco_fuzz
