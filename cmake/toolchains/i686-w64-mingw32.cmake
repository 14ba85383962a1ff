# SPDX-License-Identifier: MIT
# Toolchain: 32-bit Windows (i686) with Debian's MinGW-w64 g++ (posix threads), tests run under
# Wine's 32-bit loader. Packages: g++-mingw-w64-i686-posix wine wine64 wine32:i386 googletest
# (`ci/install-deps --mingw`). The settings shared with x86-64 are in mingw-w64-wine.cmake.
set(CMAKE_SYSTEM_PROCESSOR i686)
set(JMPCO_MINGW_TRIPLE i686-w64-mingw32)
include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-wine.cmake")
