# SPDX-License-Identifier: MIT
# The core library, defined once: jmpco and every variant of it (the tests' jmpco_noexcept) come
# from jmpco_add_library, so that a variant differs from jmpco only in what its caller asks for.
#
# jmpco_add_library(NAME [STATIC] [COMPILE_OPTIONS OPTION...])
#   NAME             the target, built from every .cpp of lib/ (JMPCO_SOURCES)
#   STATIC           a static library (else BUILD_SHARED_LIBS decides)
#   COMPILE_OPTIONS  this variant's options (e.g. -fno-exceptions -fno-rtti); PUBLIC, since a
#                    program must be compiled as its library was
# The configuration (JMPCO_CONFIGURATION_DEFINITIONS: JMPCO_JUMP, JMPCO_CHECKED) is PUBLIC too.
function(jmpco_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STATIC" "" "COMPILE_OPTIONS")
  set(type "")
  if(arg_STATIC)
    set(type STATIC)
  endif()
  add_library(${name} ${type} ${JMPCO_SOURCES})
  target_include_directories(${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_compile_features(${name} PUBLIC cxx_std_17)
  target_link_libraries(${name} PUBLIC Threads::Threads)
  target_compile_definitions(${name} PUBLIC ${JMPCO_CONFIGURATION_DEFINITIONS})
  target_compile_options(${name} PUBLIC ${arg_COMPILE_OPTIONS})
  jmpco_warnings(${name})
endfunction()
