# Toolchain: 32-bit x86 (i386 ABI) with the host's gcc and -m32, tests run natively.
#
# Packages (Debian/Ubuntu): gcc-12-multilib g++-12-multilib googletest (`ci/install-deps --m32`).
# Deliberately NOT gcc-multilib/g++-multilib: on Debian those conflict with the aarch64 cross
# compilers (installing one removes the other). The versioned gcc-12-multilib/g++-12-multilib
# do not conflict, but without gcc-multilib nothing provides /usr/include/asm, and
# `gcc -m32` then fails on <asm/errno.h> (the 64-bit search path has
# /usr/include/x86_64-linux-gnu/asm, the -m32 one has no asm/ at all). gcc-multilib only adds
# the symlink /usr/include/asm -> x86_64-linux-gnu/asm (those kernel headers serve both
# ABIs), so this file makes the same symlink in the build tree and adds its directory with
# -isystem. It does so whether or not gcc-multilib is installed (with it, both point to the
# same headers), so a build tree keeps working when gcc-multilib comes or goes.
#
# GoogleTest: the installed libgtest is 64-bit, so the m32 preset builds it from
# /usr/src/googletest (JMPCO_GTEST_FROM_SOURCE, cmake/JmpcoGTest.cmake).

# Not a cross build: the binaries run on this machine and try_run() works. So CMake keeps
# CMAKE_SYSTEM_PROCESSOR at the host's x86_64: tell i386 by CMAKE_SIZEOF_VOID_P (4) or by the
# compiler's macros (__i386__), not by CMAKE_SYSTEM_PROCESSOR.

if(NOT CMAKE_C_COMPILER)
  set(CMAKE_C_COMPILER gcc)
endif()
if(NOT CMAKE_CXX_COMPILER)
  set(CMAKE_CXX_COMPILER g++)
endif()

set(_jmpco_m32_flags "-m32")
if(EXISTS "/usr/include/x86_64-linux-gnu/asm/errno.h")
  # CMAKE_BINARY_DIR: the build tree (or, while CMake runs a try_compile, its scratch
  # project; the flags used there come from the build tree's cache, so both are fine).
  set(_jmpco_m32_shim "${CMAKE_BINARY_DIR}/jmpco-m32-include")
  if(NOT EXISTS "${_jmpco_m32_shim}/asm/errno.h")
    file(MAKE_DIRECTORY "${_jmpco_m32_shim}")
    file(CREATE_LINK "/usr/include/x86_64-linux-gnu/asm" "${_jmpco_m32_shim}/asm" SYMBOLIC)
  endif()
  string(APPEND _jmpco_m32_flags " -isystem ${_jmpco_m32_shim}")
  unset(_jmpco_m32_shim)
endif()

set(CMAKE_C_FLAGS_INIT "${_jmpco_m32_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_jmpco_m32_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-m32")
unset(_jmpco_m32_flags)
