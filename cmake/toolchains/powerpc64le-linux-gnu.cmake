# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit little-endian POWER Linux (ppc64el, ELFv2 ABI, glibc), with
# Debian's powerpc64le-linux-gnu-g++-12; tests run under qemu-ppc64le.
# Packages: g++-12-powerpc64le-linux-gnu qemu-user googletest (`ci/install-deps --cross=ppc64el`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR ppc64le)
set(JMPCO_CROSS_TRIPLE powerpc64le-linux-gnu)
set(JMPCO_CROSS_QEMU qemu-ppc64le)
set(JMPCO_CROSS_DEPS "--cross=ppc64el")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-12")
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
