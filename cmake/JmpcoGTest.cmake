# SPDX-License-Identifier: MIT
# GoogleTest built from source, for builds whose target ABI has no installed libgtest
# (-m32, cross compilers).
#
# With JMPCO_GTEST_FROM_SOURCE=ON this module adds the GoogleTest sources that Debian's
# `googletest` package ships in /usr/src/googletest (or JMPCO_GTEST_SOURCE_DIR) to the
# build, compiled with the project's compiler and flags, and redirects find_package(GTest)
# to them: after it, a plain `find_package(GTest REQUIRED)` succeeds and GTest::gtest,
# GTest::gtest_main, GTest::gmock and GTest::gmock_main are those targets. Only what is
# linked gets built (EXCLUDE_FROM_ALL). Nothing is downloaded.
#
# With the option OFF (the default) it does nothing and find_package(GTest) finds the
# installed GoogleTest as usual.
#
# Include it before the first find_package(GTest), from the top-level CMakeLists.txt:
#     include(cmake/JmpcoGTest.cmake)
# The m32 and aarch64 presets also load it through CMAKE_PROJECT_jmpco_INCLUDE, so they
# work whether or not the top-level CMakeLists.txt includes it. Including it twice is harmless.
include_guard(GLOBAL)

option(JMPCO_GTEST_FROM_SOURCE
  "Build GoogleTest from its sources (JMPCO_GTEST_SOURCE_DIR) instead of using the installed one" OFF)
set(JMPCO_GTEST_SOURCE_DIR "/usr/src/googletest" CACHE PATH
  "GoogleTest source tree used when JMPCO_GTEST_FROM_SOURCE is ON (Debian: package googletest)")

if(JMPCO_GTEST_FROM_SOURCE)
  if(CMAKE_VERSION VERSION_LESS 3.24)
    message(FATAL_ERROR "JMPCO_GTEST_FROM_SOURCE needs CMake 3.24 or newer (find_package redirection)")
  endif()
  if(NOT EXISTS "${JMPCO_GTEST_SOURCE_DIR}/CMakeLists.txt")
    message(FATAL_ERROR
      "JMPCO_GTEST_FROM_SOURCE is ON but ${JMPCO_GTEST_SOURCE_DIR} has no GoogleTest sources. "
      "On Debian/Ubuntu: apt-get install googletest (ci/install-deps --m32 or --aarch64 does it), "
      "or point JMPCO_GTEST_SOURCE_DIR at a GoogleTest source tree.")
  endif()

  # GoogleTest's own options (it sets policy CMP0077, so plain variables override them).
  set(INSTALL_GTEST OFF)
  set(BUILD_GMOCK ON)
  add_subdirectory("${JMPCO_GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/googletest-build" EXCLUDE_FROM_ALL)

  foreach(_jmpco_gtest_target IN ITEMS gtest gtest_main gmock gmock_main)
    if(NOT TARGET GTest::${_jmpco_gtest_target})
      add_library(GTest::${_jmpco_gtest_target} ALIAS ${_jmpco_gtest_target})
    endif()
  endforeach()
  unset(_jmpco_gtest_target)
  # The names CMake's FindGTest also defines.
  if(NOT TARGET GTest::GTest)
    add_library(GTest::GTest ALIAS gtest)
  endif()
  if(NOT TARGET GTest::Main)
    add_library(GTest::Main ALIAS gtest_main)
  endif()

  get_directory_property(_jmpco_gtest_version DIRECTORY "${JMPCO_GTEST_SOURCE_DIR}" DEFINITION GOOGLETEST_VERSION)
  if(NOT _jmpco_gtest_version)
    set(_jmpco_gtest_version 0)
  endif()
  file(WRITE "${CMAKE_FIND_PACKAGE_REDIRECTS_DIR}/gtest-config.cmake"
    "# Written by cmake/JmpcoGTest.cmake: GoogleTest is built from ${JMPCO_GTEST_SOURCE_DIR}.\n"
    "set(GTest_FOUND TRUE)\n"
    "set(GTEST_FOUND TRUE)\n"
    "set(GTEST_INCLUDE_DIRS \"${JMPCO_GTEST_SOURCE_DIR}/googletest/include\")\n"
    "set(GTEST_LIBRARIES GTest::gtest)\n"
    "set(GTEST_MAIN_LIBRARIES GTest::gtest_main)\n"
    "set(GTEST_BOTH_LIBRARIES GTest::gtest GTest::gtest_main)\n")
  file(WRITE "${CMAKE_FIND_PACKAGE_REDIRECTS_DIR}/gtest-config-version.cmake"
    "set(PACKAGE_VERSION \"${_jmpco_gtest_version}\")\n"
    "if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)\n"
    "  set(PACKAGE_VERSION_COMPATIBLE FALSE)\n"
    "else()\n"
    "  set(PACKAGE_VERSION_COMPATIBLE TRUE)\n"
    "  if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_EQUAL PACKAGE_FIND_VERSION)\n"
    "    set(PACKAGE_VERSION_EXACT TRUE)\n"
    "  endif()\n"
    "endif()\n")
  message(STATUS "jmpco: GoogleTest ${_jmpco_gtest_version} built from ${JMPCO_GTEST_SOURCE_DIR}")
  unset(_jmpco_gtest_version)
endif()
