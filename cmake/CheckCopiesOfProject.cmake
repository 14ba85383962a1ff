# SPDX-License-Identifier: MIT
# Script (cmake -P): fails when a checked-in copy of what CMakeLists.txt says has drifted from it.
#   -D SOURCE_DIR=... -D GENERATED_VERSION_HEADER=... -D VERSION=...
# - include/jmpco/version.hpp (for users without CMake) must equal the one generated from
#   project(VERSION) (cmake/version.hpp.in);
# - meson.build must say the same version and list every lib/*.cpp (Meson does not glob).
set(problems "")

file(READ ${SOURCE_DIR}/include/jmpco/version.hpp checked_in)
file(READ ${GENERATED_VERSION_HEADER} generated)
if(NOT checked_in STREQUAL generated)
  string(APPEND problems "include/jmpco/version.hpp differs from ${GENERATED_VERSION_HEADER}: "
    "copy the generated one over it\n")
endif()

file(READ ${SOURCE_DIR}/meson.build meson)
if(NOT meson MATCHES "version: '${VERSION}'")
  string(APPEND problems "meson.build: project() must say version: '${VERSION}'\n")
endif()
file(GLOB sources RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/lib/*.cpp)
string(REGEX MATCHALL "'lib/[^']+\\.cpp'" listed "${meson}")
string(REPLACE "'" "" listed "${listed}")
list(SORT sources)
list(SORT listed)
if(NOT sources STREQUAL listed)
  string(APPEND problems "meson.build lists ${listed}\n  but lib/ has ${sources}\n")
endif()

if(problems)
  message(FATAL_ERROR "${problems}")
endif()
message(STATUS "version.hpp and meson.build agree with project(VERSION ${VERSION}) and lib/")
