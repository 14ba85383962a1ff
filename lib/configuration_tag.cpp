// SPDX-License-Identifier: MIT
// The symbol named after this build's configuration (see the end of jmpco/config.hpp): programs
// built with another configuration refer to another name and fail to link.
#include "jmpco/config.hpp"

extern "C" const char JMPCO_CONFIGURATION_TAG = 0;
