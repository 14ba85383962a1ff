# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit Arm Linux (aarch64, glibc), tests run under qemu-user.
#
# Packages (Debian/Ubuntu): g++-11-aarch64-linux-gnu qemu-user googletest
# (`ci/install-deps --aarch64`). On Debian 12 the version-11 cross compiler is the one that
# installs (g++-12-aarch64-linux-gnu does not, version skew); set JMPCO_AARCH64_GCC_SUFFIX
# (e.g. "-12", or "" for the unversioned aarch64-linux-gnu-g++) to use another.
# The cross compilers conflict with gcc-multilib/g++-multilib; see i386-linux-gnu-m32.cmake.
#
# CMAKE_CROSSCOMPILING_EMULATOR makes add_test(), gtest_discover_tests() and try_run() run
# the aarch64 binaries as `qemu-aarch64 -L /usr/aarch64-linux-gnu BINARY ...`, so ctest
# works as on a native build. GoogleTest: built from /usr/src/googletest
# (JMPCO_GTEST_FROM_SOURCE, cmake/JmpcoGTest.cmake).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(JMPCO_AARCH64_SYSROOT "/usr/aarch64-linux-gnu" CACHE PATH "Target root of the aarch64 libraries")
if(NOT DEFINED JMPCO_AARCH64_GCC_SUFFIX)
  set(JMPCO_AARCH64_GCC_SUFFIX "-11")
endif()

set(CMAKE_C_COMPILER "aarch64-linux-gnu-gcc${JMPCO_AARCH64_GCC_SUFFIX}")
set(CMAKE_CXX_COMPILER "aarch64-linux-gnu-g++${JMPCO_AARCH64_GCC_SUFFIX}")

set(CMAKE_FIND_ROOT_PATH "${JMPCO_AARCH64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(JMPCO_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(NOT JMPCO_QEMU_AARCH64)
  message(FATAL_ERROR "qemu-aarch64 not found: apt-get install qemu-user (or run ci/install-deps --aarch64)")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${JMPCO_QEMU_AARCH64};-L;${JMPCO_AARCH64_SYSROOT}")

# try_compile() projects re-read this file: hand them the settings given on the command line.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_AARCH64_GCC_SUFFIX JMPCO_AARCH64_SYSROOT)
