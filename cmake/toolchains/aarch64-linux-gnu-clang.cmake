# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit Arm Linux (aarch64, glibc) with clang (Debian 12: clang 14,
# --target=aarch64-linux-gnu); tests run under qemu-aarch64.
# clang has no __builtin_setjmp on aarch64, so jmpco's automatic choice (include/jmpco/config.hpp)
# is the POSIX jump, _setjmp/_longjmp: the one preset where that choice is made by the compiler
# rather than asked for with JMPCO_JUMP (the fortify preset asks for it on x86-64).
# clang links against the aarch64 libstdc++, crt files and binutils of Debian's cross g++
# (found under /usr/lib/gcc-cross/aarch64-linux-gnu), so that package is needed too.
# Packages: clang g++-11-aarch64-linux-gnu qemu-user googletest
# (`ci/install-deps --cross=clang-aarch64`).
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(JMPCO_CROSS_TRIPLE aarch64-linux-gnu)
set(JMPCO_CROSS_QEMU qemu-aarch64)
set(JMPCO_CROSS_DEPS "--cross=clang-aarch64")
set(JMPCO_CROSS_COMPILER clang)
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
