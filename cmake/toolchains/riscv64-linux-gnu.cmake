# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit RISC-V Linux (riscv64, lp64d, glibc), with Debian's
# riscv64-linux-gnu-g++-12; tests run under qemu-riscv64.
# Packages: g++-12-riscv64-linux-gnu qemu-user googletest (`ci/install-deps --cross=riscv64`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(JMPCO_CROSS_TRIPLE riscv64-linux-gnu)
set(JMPCO_CROSS_QEMU qemu-riscv64)
set(JMPCO_CROSS_DEPS "--cross=riscv64")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-12")
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
