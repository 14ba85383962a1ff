# SPDX-License-Identifier: MIT
# Toolchain: x86-64 Linux against musl instead of glibc, programs linked statically, run natively.
#
# Packages (Debian/Ubuntu): musl-dev musl-tools googletest (`ci/install-deps --musl`).
# Debian ships no C++ runtime built for musl, so this build pairs musl's C library (its headers
# and libc.a) with Debian's own static libstdc++ and libgcc_eh, which were built against glibc:
#  - musl/glibc_abi_prelude.h, force-included, gives libstdc++'s glibc-configured headers the
#    few glibc names they use (__GLIBC_PREREQ, __locale_t, the ctype class bits);
#  - musl/glibc_symbols_for_libstdcxx.c, linked into every program, defines the three glibc
#    symbols the static runtime references (__libc_single_threaded, arc4random,
#    _dl_find_object, the last through dl_iterate_phdr so that exceptions unwind);
#  - --eh-frame-hdr, which gcc leaves out of static links, so the unwinder finds the tables.
# One thing of the pairing does not work: libstdc++'s input streams (std::ifstream) crash in
# their locale set-up. GoogleTest's default ("fast") death tests read /proc through one, so the
# musl test preset runs death tests in the "threadsafe" style (GTEST_DEATH_TEST_STYLE).
# What runs on musl is therefore everything jmpco itself touches: setjmp/longjmp, the thread
# stack bounds (pthread_getattr_np), thread-local storage, malloc, threads. GoogleTest is built
# from /usr/src/googletest with the same flags.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(JMPCO_MUSL_SPECS "/usr/lib/x86_64-linux-musl/musl-gcc.specs" CACHE FILEPATH "musl-gcc's specs file")
set(JMPCO_MUSL_CXX_MAJOR "12" CACHE STRING "Version of the g++ whose libstdc++ headers are used")
if(NOT EXISTS "${JMPCO_MUSL_SPECS}")
  message(FATAL_ERROR "${JMPCO_MUSL_SPECS} not found: apt-get install musl-dev musl-tools (ci/install-deps --musl)")
endif()

set(CMAKE_C_COMPILER "gcc")
set(CMAKE_CXX_COMPILER "g++")
set(_jmpco_musl_dir "${CMAKE_CURRENT_LIST_DIR}/musl")
set(_jmpco_cxx_includes
  "-isystem /usr/include/c++/${JMPCO_MUSL_CXX_MAJOR} -isystem /usr/include/x86_64-linux-gnu/c++/${JMPCO_MUSL_CXX_MAJOR}")
set(CMAKE_C_FLAGS_INIT "-specs=${JMPCO_MUSL_SPECS}")
set(CMAKE_CXX_FLAGS_INIT
  "-specs=${JMPCO_MUSL_SPECS} ${_jmpco_cxx_includes} -include ${_jmpco_musl_dir}/glibc_abi_prelude.h")

# The shim object, compiled once into the top build tree (try_compile projects reuse it).
if(NOT JMPCO_MUSL_SHIM_OBJECT)
  set(JMPCO_MUSL_SHIM_OBJECT "${CMAKE_BINARY_DIR}/jmpco-musl-glibc-symbols.o")
endif()
if(NOT EXISTS "${JMPCO_MUSL_SHIM_OBJECT}")
  execute_process(
    COMMAND gcc "-specs=${JMPCO_MUSL_SPECS}" -O2 -c "${_jmpco_musl_dir}/glibc_symbols_for_libstdcxx.c"
            -o "${JMPCO_MUSL_SHIM_OBJECT}"
    RESULT_VARIABLE _jmpco_shim_status)
  if(NOT _jmpco_shim_status EQUAL 0)
    message(FATAL_ERROR "could not compile ${_jmpco_musl_dir}/glibc_symbols_for_libstdcxx.c against musl")
  endif()
endif()
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -Wl,--eh-frame-hdr")
set(CMAKE_CXX_STANDARD_LIBRARIES "${JMPCO_MUSL_SHIM_OBJECT}" CACHE STRING "" FORCE)
set(CMAKE_C_STANDARD_LIBRARIES "${JMPCO_MUSL_SHIM_OBJECT}" CACHE STRING "" FORCE)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_MUSL_SPECS JMPCO_MUSL_CXX_MAJOR JMPCO_MUSL_SHIM_OBJECT)
