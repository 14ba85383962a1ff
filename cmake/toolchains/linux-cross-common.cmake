# SPDX-License-Identifier: MIT
# What every Linux cross toolchain of this directory shares: a Debian cross compiler (or clang
# aimed at the same triple), the Debian cross sysroot /usr/TRIPLE, the tests run under qemu-user,
# GoogleTest built from source. Not a toolchain file itself: each TARGET.cmake beside it sets
# the target's facts and includes this file.
#
# Set by the including toolchain file (plain variables, before the include):
#   CMAKE_SYSTEM_PROCESSOR          as CMake names the target's processor
#   JMPCO_CROSS_TRIPLE              the GNU triple, e.g. arm-linux-gnueabihf
#   JMPCO_CROSS_QEMU                the qemu-user program that runs its binaries, e.g. qemu-arm
#   JMPCO_CROSS_DEPS                the ci/install-deps argument that installs the target's
#                                   packages (named in the error messages)
#   JMPCO_CROSS_GCC_DEFAULT_SUFFIX  the version suffix of the cross g++ that Debian 12 installs
#                                   beside the native compiler (e.g. "-12")
#   JMPCO_CROSS_COMPILER            optional: "clang" to compile with clang --target=TRIPLE
#                                   (default "gcc": TRIPLE-g++SUFFIX)
# Settable on the command line (-D), cached:
#   JMPCO_CROSS_GCC_SUFFIX  the cross g++ version suffix ("" for the unversioned TRIPLE-g++)
#   JMPCO_CROSS_SYSROOT     the target's libraries (default /usr/TRIPLE, Debian's layout)
#
# CMAKE_CROSSCOMPILING_EMULATOR makes add_test(), gtest_discover_tests() and try_run() run the
# target's binaries as `qemu-ARCH -L SYSROOT BINARY ...`, so ctest works as on a native build;
# the conformance suite gets the same emulator as its launcher (conformance/CMakeLists.txt).
# GoogleTest: the installed libgtest is for the host, so the presets build it from
# /usr/src/googletest (JMPCO_GTEST_FROM_SOURCE, cmake/JmpcoGTest.cmake).
foreach(_jmpco_cross_input IN ITEMS CMAKE_SYSTEM_PROCESSOR JMPCO_CROSS_TRIPLE JMPCO_CROSS_QEMU
                                    JMPCO_CROSS_DEPS)
  if(NOT ${_jmpco_cross_input})
    message(FATAL_ERROR "linux-cross-common.cmake: the toolchain file must set ${_jmpco_cross_input}")
  endif()
endforeach()
unset(_jmpco_cross_input)

set(CMAKE_SYSTEM_NAME Linux)
set(JMPCO_CROSS_SYSROOT "/usr/${JMPCO_CROSS_TRIPLE}" CACHE PATH "Target root of the cross libraries")
if(NOT DEFINED JMPCO_CROSS_GCC_SUFFIX)
  set(JMPCO_CROSS_GCC_SUFFIX "${JMPCO_CROSS_GCC_DEFAULT_SUFFIX}")
endif()

set(CMAKE_FIND_ROOT_PATH "${JMPCO_CROSS_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# jmpco_cross_require(VAR WHAT NAMES...): find a program or stop with what to install.
macro(jmpco_cross_require var what)
  find_program(${var} NAMES ${ARGN})
  if(NOT ${var})
    message(FATAL_ERROR "${what} not found (looked for: ${ARGN}): "
      "run ci/install-deps ${JMPCO_CROSS_DEPS}")
  endif()
endmacro()

if(JMPCO_CROSS_COMPILER STREQUAL "clang")
  # clang finds the target's libstdc++, crt files and binutils in Debian's cross gcc install
  # (/usr/lib/gcc-cross/TRIPLE and /usr/bin/TRIPLE-ld), so the cross g++ package must be there.
  jmpco_cross_require(JMPCO_CROSS_CLANGXX "clang++" clang++ clang++-14)
  jmpco_cross_require(JMPCO_CROSS_CLANG "clang" clang clang-14)
  set(CMAKE_C_COMPILER "${JMPCO_CROSS_CLANG}")
  set(CMAKE_CXX_COMPILER "${JMPCO_CROSS_CLANGXX}")
  set(CMAKE_C_COMPILER_TARGET "${JMPCO_CROSS_TRIPLE}")
  set(CMAKE_CXX_COMPILER_TARGET "${JMPCO_CROSS_TRIPLE}")
else()
  jmpco_cross_require(JMPCO_CROSS_GXX "${JMPCO_CROSS_TRIPLE}-g++${JMPCO_CROSS_GCC_SUFFIX}"
    "${JMPCO_CROSS_TRIPLE}-g++${JMPCO_CROSS_GCC_SUFFIX}")
  jmpco_cross_require(JMPCO_CROSS_GCC "${JMPCO_CROSS_TRIPLE}-gcc${JMPCO_CROSS_GCC_SUFFIX}"
    "${JMPCO_CROSS_TRIPLE}-gcc${JMPCO_CROSS_GCC_SUFFIX}")
  set(CMAKE_C_COMPILER "${JMPCO_CROSS_GCC}")
  set(CMAKE_CXX_COMPILER "${JMPCO_CROSS_GXX}")
endif()

jmpco_cross_require(JMPCO_CROSS_QEMU_PROGRAM "${JMPCO_CROSS_QEMU}"
  "${JMPCO_CROSS_QEMU}" "${JMPCO_CROSS_QEMU}-static")
set(CMAKE_CROSSCOMPILING_EMULATOR "${JMPCO_CROSS_QEMU_PROGRAM};-L;${JMPCO_CROSS_SYSROOT}")

# try_compile() projects re-read the toolchain file: hand them the settings given on the
# command line.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_CROSS_GCC_SUFFIX JMPCO_CROSS_SYSROOT)
