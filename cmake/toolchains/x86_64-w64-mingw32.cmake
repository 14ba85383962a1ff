# SPDX-License-Identifier: MIT
# Toolchain: 64-bit Windows (x86-64, SEH unwinding) with Debian's MinGW-w64 g++ (posix threads),
# tests run under Wine. Packages: g++-mingw-w64-x86-64-posix wine wine64 googletest
# (`ci/install-deps --mingw`). The settings shared with i686 are in mingw-w64-wine.cmake.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(JMPCO_MINGW_TRIPLE x86_64-w64-mingw32)
include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-wine.cmake")
