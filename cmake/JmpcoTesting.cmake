# SPDX-License-Identifier: MIT
# How a GoogleTest program becomes CTest tests.
#
# jmpco_add_gtest(TARGET [TEST_PREFIX PREFIX])
#   By default every GoogleTest test is its own CTest test (gtest_discover_tests): ctest's summary
#   names each failure. With JMPCO_CTEST_PER_BINARY=ON the program is one CTest test that runs all
#   of its tests in one process (GoogleTest's own output names each failure): what a launcher that
#   is slow to start wants (Valgrind, qemu, Wine), where starting one process per test costs more
#   than the tests themselves.
include_guard(GLOBAL)
include(GoogleTest)

option(JMPCO_CTEST_PER_BINARY
  "One CTest test per GoogleTest program instead of one per test (for slow launchers)" OFF)
# Seconds GoogleTest's test listing may take at build time (a toolchain whose programs start
# slowly, the first Wine program of a build among them, raises it).
if(NOT JMPCO_GTEST_DISCOVERY_TIMEOUT)
  set(JMPCO_GTEST_DISCOVERY_TIMEOUT 60)
endif()
# A whole program's tests under a slow launcher take longer than any one test.
set(JMPCO_CTEST_PER_BINARY_TIMEOUT 2400 CACHE STRING
  "Seconds one GoogleTest program may take when JMPCO_CTEST_PER_BINARY is ON")

function(jmpco_add_gtest target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TEST_PREFIX" "")
  if(JMPCO_CTEST_PER_BINARY)
    add_test(NAME ${arg_TEST_PREFIX}${target} COMMAND ${target} --gtest_brief=1)
    set_tests_properties(${arg_TEST_PREFIX}${target} PROPERTIES TIMEOUT ${JMPCO_CTEST_PER_BINARY_TIMEOUT})
  else()
    gtest_discover_tests(${target} TEST_PREFIX "${arg_TEST_PREFIX}" DISCOVERY_TIMEOUT ${JMPCO_GTEST_DISCOVERY_TIMEOUT})
  endif()
endfunction()
