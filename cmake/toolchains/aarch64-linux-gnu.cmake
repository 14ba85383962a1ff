# SPDX-License-Identifier: MIT
# Toolchain: cross build for 64-bit Arm Linux (aarch64, glibc), tests run under qemu-user.
#
# Packages (Debian/Ubuntu): g++-11-aarch64-linux-gnu qemu-user googletest
# (`ci/install-deps --aarch64`). On Debian 12 the version-11 cross compiler is the one that
# installs (g++-12-aarch64-linux-gnu does not, version skew); set JMPCO_CROSS_GCC_SUFFIX
# (e.g. "-12", or "" for the unversioned aarch64-linux-gnu-g++) to use another. The older names
# JMPCO_AARCH64_GCC_SUFFIX and JMPCO_AARCH64_SYSROOT still work.
# The cross compilers conflict with gcc-multilib/g++-multilib; see i386-linux-gnu-m32.cmake.
# The shared part (compiler lookup, sysroot, qemu, try_compile): linux-cross-common.cmake.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(JMPCO_CROSS_TRIPLE aarch64-linux-gnu)
set(JMPCO_CROSS_QEMU qemu-aarch64)
set(JMPCO_CROSS_DEPS "--aarch64")
set(JMPCO_CROSS_GCC_DEFAULT_SUFFIX "-11")
if(DEFINED JMPCO_AARCH64_GCC_SUFFIX)
  set(JMPCO_CROSS_GCC_SUFFIX "${JMPCO_AARCH64_GCC_SUFFIX}")
endif()
if(DEFINED JMPCO_AARCH64_SYSROOT)
  set(JMPCO_CROSS_SYSROOT "${JMPCO_AARCH64_SYSROOT}" CACHE PATH "Target root of the cross libraries")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake")
