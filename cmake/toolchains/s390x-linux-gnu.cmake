# SPDX-License-Identifier: MIT
# Toolchain: cross build for IBM Z Linux (s390x: 64-bit, big-endian, glibc), with Debian's
# s390x-linux-gnu-g++-12; tests run under qemu-s390x. The big-endian target of the matrix.
# Packages: g++-12-s390x-linux-gnu qemu-user googletest (`ci/install-deps --cross=s390x`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(JMPCO_CROSS_TRIPLE s390x-linux-gnu)
set(JMPCO_CROSS_QEMU qemu-s390x)
set(JMPCO_CROSS_DEPS "--cross=s390x")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-12")
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
