# SPDX-License-Identifier: MIT
# Shared part of the MinGW-w64 toolchains (x86_64-w64-mingw32.cmake, i686-w64-mingw32.cmake):
# Windows programs cross-built with Debian's MinGW-w64 g++ and run under Wine. The including file
# sets JMPCO_MINGW_TRIPLE and CMAKE_SYSTEM_PROCESSOR first.
#
# - The posix thread model (g++-mingw-w64-*-posix, the compilers named *-g++-posix): std::thread
#   and the replay's pthreads work through winpthreads. The win32 model has no std::thread in
#   this GCC.
# - Everything links statically (-static: libgcc, libstdc++, winpthreads), so Wine needs no DLL
#   beyond its own system ones and no WINEPATH.
# - CMAKE_CROSSCOMPILING_EMULATOR is ci/wine-launcher with a Wine prefix inside the build tree
#   (created on first use, without Mono/Gecko prompts): ctest, GoogleTest's discovery and
#   try_run() run the .exe files as on a native build.
# - GoogleTest: built from /usr/src/googletest (JMPCO_GTEST_FROM_SOURCE, cmake/JmpcoGTest.cmake).
set(CMAKE_SYSTEM_NAME Windows)

set(CMAKE_C_COMPILER "${JMPCO_MINGW_TRIPLE}-gcc-posix")
set(CMAKE_CXX_COMPILER "${JMPCO_MINGW_TRIPLE}-g++-posix")
set(CMAKE_RC_COMPILER "${JMPCO_MINGW_TRIPLE}-windres")

set(CMAKE_FIND_ROOT_PATH "/usr/${JMPCO_MINGW_TRIPLE}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

find_program(JMPCO_WINE NAMES wine)
if(NOT JMPCO_WINE)
  message(FATAL_ERROR "wine not found: apt-get install wine wine64 wine32:i386 (or run ci/install-deps --mingw)")
endif()
# This file lives in cmake/toolchains/; the launcher in ci/.
get_filename_component(_jmpco_wine_launcher "${CMAKE_CURRENT_LIST_DIR}/../../ci/wine-launcher" ABSOLUTE)
# try_compile() projects re-read this file with their own CMAKE_BINARY_DIR: they get the build
# tree's prefix through CMAKE_TRY_COMPILE_PLATFORM_VARIABLES.
if(NOT JMPCO_WINE_PREFIX)
  set(JMPCO_WINE_PREFIX "${CMAKE_BINARY_DIR}/wineprefix")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${_jmpco_wine_launcher};--prefix;${JMPCO_WINE_PREFIX}")
# A new prefix takes half a minute or more: make it now, not inside a test's or GoogleTest
# discovery's timeout.
if(NOT EXISTS "${JMPCO_WINE_PREFIX}/system.reg")
  message(STATUS "jmpco: creating the Wine prefix ${JMPCO_WINE_PREFIX}")
  execute_process(COMMAND "${_jmpco_wine_launcher}" --prefix "${JMPCO_WINE_PREFIX}" --init
    RESULT_VARIABLE _jmpco_wine_init)
  if(NOT _jmpco_wine_init EQUAL 0)
    message(FATAL_ERROR "jmpco: could not create the Wine prefix ${JMPCO_WINE_PREFIX}")
  endif()
  unset(_jmpco_wine_init)
endif()
unset(_jmpco_wine_launcher)
# The first program of a build starts Wine's server and system processes: slow on a busy machine.
set(JMPCO_GTEST_DISCOVERY_TIMEOUT 300)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_WINE_PREFIX)
