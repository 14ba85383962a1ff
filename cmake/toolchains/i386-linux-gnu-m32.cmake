# SPDX-License-Identifier: MIT
# Toolchain: 32-bit x86 (i386 ABI) with the host's gcc and -m32, tests run natively.
#
# Packages (Debian/Ubuntu): gcc-12-multilib g++-12-multilib googletest qemu-user
# (`ci/install-deps --m32`).
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

# Running the i386 binaries: an x86-64 kernel runs them natively only when it was built with
# IA32 emulation and has it enabled (ia32_emulation=0 on the kernel command line, or a kernel
# without CONFIG_IA32_EMULATION, refuses them with "Exec format error"). So the first configure
# compiles a tiny -m32 program and runs it (JMPCO_M32_RUN=auto, the default):
# - it runs: not a cross build; CMake keeps CMAKE_SYSTEM_PROCESSOR at the host's x86_64 and
#   runs the tests, GoogleTest's discovery and try_run() natively;
# - the kernel refuses it: a cross build (CMAKE_SYSTEM_PROCESSOR i686) whose binaries run
#   through qemu-i386 as CMAKE_CROSSCOMPILING_EMULATOR, as the aarch64 toolchain does
#   (package qemu-user, installed by `ci/install-deps --m32`).
# JMPCO_M32_RUN=native or =qemu forces one way. The way chosen is kept in the cache
# (JMPCO_M32_RUNS_THROUGH) and printed; ci/test-preset prints it again after the tests.
# Either way, tell i386 by CMAKE_SIZEOF_VOID_P (4) or by the compiler's macros (__i386__), not
# by CMAKE_SYSTEM_PROCESSOR.

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

# --- How the i386 binaries run (see the top of this file). ---
# try_compile() projects re-read this file: they get the decision through
# CMAKE_TRY_COMPILE_PLATFORM_VARIABLES instead of probing again.
set(JMPCO_M32_RUN "auto" CACHE STRING
  "How the m32 build runs its binaries: auto (probe), native, or qemu (through qemu-i386)")
set_property(CACHE JMPCO_M32_RUN PROPERTY STRINGS auto native qemu)

if(NOT JMPCO_M32_RUNS_THROUGH)
  if(JMPCO_M32_RUN STREQUAL "native" OR JMPCO_M32_RUN STREQUAL "qemu")
    set(_jmpco_m32_way "${JMPCO_M32_RUN}")
    set(_jmpco_m32_why "JMPCO_M32_RUN=${JMPCO_M32_RUN}")
  elseif(JMPCO_M32_RUN STREQUAL "auto")
    set(_jmpco_m32_probe "${CMAKE_BINARY_DIR}/jmpco-m32-probe")
    file(MAKE_DIRECTORY "${_jmpco_m32_probe}")
    file(WRITE "${_jmpco_m32_probe}/probe.c" "int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n")
    execute_process(
      COMMAND "${CMAKE_C_COMPILER}" -m32 -o "${_jmpco_m32_probe}/probe" "${_jmpco_m32_probe}/probe.c"
      RESULT_VARIABLE _jmpco_m32_cc OUTPUT_VARIABLE _jmpco_m32_out ERROR_VARIABLE _jmpco_m32_out)
    if(NOT _jmpco_m32_cc EQUAL 0)
      message(FATAL_ERROR
        "jmpco m32: '${CMAKE_C_COMPILER} -m32' cannot build a program (is gcc-N-multilib installed? "
        "ci/install-deps --m32):\n${_jmpco_m32_out}")
    endif()
    execute_process(COMMAND "${_jmpco_m32_probe}/probe"
      RESULT_VARIABLE _jmpco_m32_rc OUTPUT_QUIET ERROR_VARIABLE _jmpco_m32_err)
    if(_jmpco_m32_rc EQUAL 0)
      set(_jmpco_m32_way native)
      set(_jmpco_m32_why "this kernel runs i386 binaries")
    else()
      set(_jmpco_m32_way qemu)
      string(STRIP "${_jmpco_m32_rc} ${_jmpco_m32_err}" _jmpco_m32_err)
      set(_jmpco_m32_why "this kernel refuses i386 binaries (${_jmpco_m32_err})")
    endif()
    unset(_jmpco_m32_probe)
    unset(_jmpco_m32_cc)
    unset(_jmpco_m32_out)
    unset(_jmpco_m32_rc)
    unset(_jmpco_m32_err)
  else()
    message(FATAL_ERROR "JMPCO_M32_RUN must be auto, native or qemu, not '${JMPCO_M32_RUN}'")
  endif()

  if(_jmpco_m32_way STREQUAL "qemu")
    find_program(JMPCO_QEMU_I386 NAMES qemu-i386 qemu-i386-static)
    if(NOT JMPCO_QEMU_I386)
      message(FATAL_ERROR
        "jmpco m32: ${_jmpco_m32_why}, and qemu-i386 is not installed: "
        "apt-get install qemu-user (or run ci/install-deps --m32)")
    endif()
    set(JMPCO_M32_RUNS_THROUGH "${JMPCO_QEMU_I386}" CACHE INTERNAL "How the m32 binaries run")
  else()
    set(JMPCO_M32_RUNS_THROUGH "native" CACHE INTERNAL "How the m32 binaries run")
  endif()
  if(JMPCO_M32_RUNS_THROUGH STREQUAL "native")
    message(STATUS "jmpco m32: the i386 binaries run natively: ${_jmpco_m32_why}")
  else()
    message(STATUS "jmpco m32: the i386 binaries run through ${JMPCO_M32_RUNS_THROUGH}: ${_jmpco_m32_why}")
  endif()
  unset(_jmpco_m32_way)
  unset(_jmpco_m32_why)
endif()

if(NOT JMPCO_M32_RUNS_THROUGH STREQUAL "native")
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR i686)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${JMPCO_M32_RUNS_THROUGH}")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_M32_RUNS_THROUGH)
