# SPDX-License-Identifier: MIT
# Toolchain: cross build for 32-bit Arm Linux, hard-float (armhf: ARMv7, EABI, glibc), with
# Debian's arm-linux-gnueabihf-g++-12; tests run under qemu-arm. C++ exceptions unwind through
# the ARM EHABI tables here (not DWARF .eh_frame as on the other targets).
# Packages: g++-12-arm-linux-gnueabihf qemu-user googletest (`ci/install-deps --cross=armhf`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(JMPCO_CROSS_TRIPLE arm-linux-gnueabihf)
set(JMPCO_CROSS_QEMU qemu-arm)
set(JMPCO_CROSS_DEPS "--cross=armhf")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-12")
# GCC notes, for every std::variant or initializer_list passed by value, that GCC 7.1 changed how
# such arguments are passed on 32-bit Arm. Only code compiled by GCC 6 or older would disagree, and
# nothing here links with such code: the notes are noise that would hide real warnings.
set(CMAKE_CXX_FLAGS_INIT "-Wno-psabi")
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
