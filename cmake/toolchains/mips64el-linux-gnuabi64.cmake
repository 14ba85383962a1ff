# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit little-endian MIPS Linux (mips64el, n64 ABI, glibc), with
# Debian's mips64el-linux-gnuabi64-g++-12; tests run under qemu-mips64el.
# Packages: g++-12-mips64el-linux-gnuabi64 qemu-user googletest (`ci/install-deps --cross=mips64el`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR mips64)
set(JMPCO_CROSS_TRIPLE mips64el-linux-gnuabi64)
set(JMPCO_CROSS_QEMU qemu-mips64el)
set(JMPCO_CROSS_DEPS "--cross=mips64el")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-12")
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
