# SPDX-License-Identifier: MIT
# How a GoogleTest program becomes CTest tests.
#
# jmpco_add_gtest(TARGET [TEST_PREFIX PREFIX])
#   By default every GoogleTest test is its own CTest test (gtest_discover_tests): ctest's summary
#   names each failure. With JMPCO_CTEST_PER_BINARY=ON the program is one CTest test that runs all
#   of its tests in one process (GoogleTest's own output names each failure): what a launcher that
#   is slow to start wants (Valgrind, qemu, Wine), where starting one process per test costs more
#   than the tests themselves. Such a program is split into JMPCO_CTEST_SHARDS tests (default 4),
#   TARGET.shard0, TARGET.shard1, ..., each running its share of the program's tests.
#
# jmpco_gtest_precompiled_header(TARGET)
#   Compiles <gtest/gtest.h> once for TARGET's C++ sources instead of once per source: parsing it
#   is about a third of a small test file's compile, and CI builds the tests in a dozen presets.
#   JMPCO_TEST_PRECOMPILED_HEADERS=OFF turns it off (a compiler CMake has no PCH support for
#   ignores it anyway).
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
# With JMPCO_CTEST_PER_BINARY, each program is split into this many CTest tests, each running a
# share of its tests (GoogleTest's sharding: GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX), so that
# `ctest -j` runs the shares of the longest program side by side instead of waiting for it alone.
set(JMPCO_CTEST_SHARDS 4 CACHE STRING
  "CTest tests per GoogleTest program when JMPCO_CTEST_PER_BINARY is ON")

option(JMPCO_TEST_PRECOMPILED_HEADERS "Precompile GoogleTest's header for the test programs" ON)

function(jmpco_gtest_precompiled_header target)
  if(JMPCO_TEST_PRECOMPILED_HEADERS)
    target_precompile_headers(${target} PRIVATE "$<$<COMPILE_LANGUAGE:CXX>:<gtest/gtest.h>>")
  endif()
endfunction()

function(jmpco_add_gtest target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TEST_PREFIX" "")
  if(JMPCO_CTEST_PER_BINARY AND JMPCO_CTEST_SHARDS GREATER 1)
    math(EXPR last "${JMPCO_CTEST_SHARDS} - 1")
    foreach(shard RANGE ${last})
      set(name ${arg_TEST_PREFIX}${target}.shard${shard})
      add_test(NAME ${name} COMMAND ${target} --gtest_brief=1)
      set_tests_properties(${name} PROPERTIES TIMEOUT ${JMPCO_CTEST_PER_BINARY_TIMEOUT}
        ENVIRONMENT "GTEST_TOTAL_SHARDS=${JMPCO_CTEST_SHARDS};GTEST_SHARD_INDEX=${shard}")
    endforeach()
  elseif(JMPCO_CTEST_PER_BINARY)
    add_test(NAME ${arg_TEST_PREFIX}${target} COMMAND ${target} --gtest_brief=1)
    set_tests_properties(${arg_TEST_PREFIX}${target} PROPERTIES TIMEOUT ${JMPCO_CTEST_PER_BINARY_TIMEOUT})
  else()
    gtest_discover_tests(${target} TEST_PREFIX "${arg_TEST_PREFIX}" DISCOVERY_TIMEOUT ${JMPCO_GTEST_DISCOVERY_TIMEOUT})
  endif()
endfunction()
