// SPDX-License-Identifier: MIT
// jmpco's version. Generated from project(VERSION) in CMakeLists.txt (cmake/version.hpp.in) and
// checked in, so that a copy of include/ without CMake has it too; the ctest
// version_header_and_meson_build_match_project fails when the two disagree.
#ifndef JMPCO_VERSION_HPP
#define JMPCO_VERSION_HPP

#define JMPCO_VERSION_MAJOR 0
#define JMPCO_VERSION_MINOR 1
#define JMPCO_VERSION_PATCH 0
// One number that compares in order: MAJOR * 10000 + MINOR * 100 + PATCH.
#define JMPCO_VERSION \
  (JMPCO_VERSION_MAJOR * 10000 + JMPCO_VERSION_MINOR * 100 + JMPCO_VERSION_PATCH)
#define JMPCO_VERSION_STRING "0.1.0"

#endif  // JMPCO_VERSION_HPP
