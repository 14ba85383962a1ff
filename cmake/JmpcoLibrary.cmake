# SPDX-License-Identifier: MIT
# The core library, defined once: jmpco and every variant of it (the tests' jmpco_noexcept) come
# from jmpco_add_library, so that a variant differs from jmpco only in what its caller asks for.
#
# jmpco_add_library(NAME [STATIC] [COMPILE_OPTIONS OPTION...])
#   NAME             the target, built from every .cpp of lib/ (JMPCO_SOURCES)
#   STATIC           a static library (else JMPCO_SHARED, which follows BUILD_SHARED_LIBS, decides;
#                    a shared one exports only what the headers mark JMPCO_API)
#   COMPILE_OPTIONS  this variant's options (e.g. -fno-exceptions -fno-rtti); PUBLIC, since a
#                    C++ program must be compiled as its library was
# The configuration (JMPCO_CONFIGURATION_DEFINITIONS: JMPCO_JUMP, JMPCO_CHECKED, JMPCO_THREADS) is
# PUBLIC too.
function(jmpco_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STATIC" "" "COMPILE_OPTIONS")
  if(JMPCO_SHARED AND NOT arg_STATIC)
    add_library(${name} SHARED ${JMPCO_SOURCES})
    set_target_properties(${name} PROPERTIES
      CXX_VISIBILITY_PRESET hidden
      VISIBILITY_INLINES_HIDDEN ON
      VERSION ${PROJECT_VERSION}
      SOVERSION ${PROJECT_VERSION_MAJOR})
    target_compile_definitions(${name} PUBLIC JMPCO_SHARED=1 PRIVATE JMPCO_BUILDING_LIBRARY=1)
  else()
    add_library(${name} STATIC ${JMPCO_SOURCES})
  endif()
  target_include_directories(${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_compile_features(${name} PUBLIC cxx_std_17)
  if(TARGET Threads::Threads)
    target_link_libraries(${name} PUBLIC Threads::Threads)
  endif()
  target_compile_definitions(${name} PUBLIC ${JMPCO_CONFIGURATION_DEFINITIONS})
  # C++ options: a C program on the C API (jmpco.h) links the same library.
  target_compile_options(${name} PUBLIC $<$<COMPILE_LANGUAGE:CXX>:${arg_COMPILE_OPTIONS}>)
  jmpco_warnings(${name})
endfunction()
