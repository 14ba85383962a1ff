# SPDX-License-Identifier: MIT
# Install and export rules (JMPCO_INSTALL): the headers, the library, the CMake package
# (find_package(jmpco 0.1) gives jmpco::jmpco) and jmpco.pc for pkg-config. Both carry the
# configuration the library was built with as compile definitions, so a program that uses them
# compiles the headers the library's way (include/jmpco/config.hpp).
include(CMakePackageConfigHelpers)
include(CheckCXXSourceCompiles)

# jmpco_configuration_is(VAR CONDITION): VAR is true when CONDITION holds in config.hpp as this
# build compiles it (the compiler, CMAKE_CXX_FLAGS and the jmpco target's definitions). Asked
# again whenever one of those changed, never answered from a stale cache.
function(jmpco_configuration_is var condition)
  set(CMAKE_REQUIRED_INCLUDES ${PROJECT_SOURCE_DIR}/include)
  get_target_property(definitions jmpco COMPILE_DEFINITIONS)
  set(CMAKE_REQUIRED_DEFINITIONS)
  foreach(definition IN LISTS definitions)
    if(definition)
      list(APPEND CMAKE_REQUIRED_DEFINITIONS -D${definition})
    endif()
  endforeach()
  set(CMAKE_REQUIRED_QUIET ON)
  # Compile only: linking would need the configuration tag symbol, which the library defines.
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
  string(MD5 asked "${CMAKE_CXX_COMPILER}|${CMAKE_CXX_FLAGS}|${CMAKE_REQUIRED_DEFINITIONS}|${condition}")
  if(NOT "${${var}_ASKED}" STREQUAL "${asked}")
    unset(${var} CACHE)
  endif()
  check_cxx_source_compiles("#include \"jmpco/config.hpp\"
#if !(${condition})
#error no
#endif
int main() { return 0; }" ${var})
  set(${var}_ASKED "${asked}" CACHE INTERNAL "What ${var} was asked under")
  set(${var} ${${var}} PARENT_SCOPE)
endfunction()

# Appends JMPCO_<SETTING>=1 or =0 to JMPCO_INSTALLED_DEFINITIONS, as include/jmpco/config.hpp
# resolves that on/off setting for this compiler and these flags.
function(jmpco_write_down_setting setting)
  jmpco_configuration_is(JMPCO_BUILT_WITH_${setting} "JMPCO_${setting}")
  if(JMPCO_BUILT_WITH_${setting})
    set(value 1)
  else()
    set(value 0)
  endif()
  set(JMPCO_INSTALLED_DEFINITIONS ${JMPCO_INSTALLED_DEFINITIONS} JMPCO_${setting}=${value} PARENT_SCOPE)
endfunction()

# What the headers must see in a program built against the installed library.
set(JMPCO_INSTALLED_DEFINITIONS)
jmpco_write_down_setting(EXCEPTIONS)
# The jump primitive the compiler chose under JMPCO_JUMP=auto, written down: another compiler
# using the installed library might choose differently.
foreach(kind BUILTIN POSIX ISO)
  jmpco_configuration_is(JMPCO_BUILT_WITH_JUMP_${kind} "JMPCO_JUMP_KIND == JMPCO_JUMP_KIND_${kind}")
  if(JMPCO_BUILT_WITH_JUMP_${kind})
    list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_JUMP_${kind}=1)
    set(JMPCO_INSTALLED_JUMP ${kind})
    break()
  endif()
endforeach()
if(NOT JMPCO_INSTALLED_JUMP)
  message(FATAL_ERROR "jmpco: could not tell which jump primitive include/jmpco/config.hpp chooses")
endif()
# Threads (JMPCO_THREADS=auto follows the C++ library's thread support), written down as the
# jump primitive is.
jmpco_write_down_setting(THREADS)
# Checked mode changes no layout; written down so that users can see what they link.
if(JMPCO_CHECKED STREQUAL "")
  string(TOUPPER "${CMAKE_BUILD_TYPE}" _jmpco_build_type)
  if("${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_jmpco_build_type}}" MATCHES "[-/]DNDEBUG")
    list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_CHECKED=0)
  else()
    list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_CHECKED=1)
  endif()
  unset(_jmpco_build_type)
elseif(JMPCO_CHECKED)
  list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_CHECKED=1)
else()
  list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_CHECKED=0)
endif()
if(JMPCO_SHARED)
  list(APPEND JMPCO_INSTALLED_DEFINITIONS JMPCO_SHARED=1)
endif()
message(STATUS "jmpco: installed configuration: ${JMPCO_INSTALLED_DEFINITIONS}")

# The build tree's own definitions (explicit JMPCO_JUMP/JMPCO_CHECKED, JMPCO_SHARED) are already
# PUBLIC; the installed target gets the rest, resolved above.
get_target_property(_jmpco_public_definitions jmpco INTERFACE_COMPILE_DEFINITIONS)
set(_jmpco_install_only)
foreach(definition IN LISTS JMPCO_INSTALLED_DEFINITIONS)
  string(REGEX REPLACE "=.*" "" name "${definition}")
  if(NOT "${_jmpco_public_definitions}" MATCHES "(^|;)${name}=")
    list(APPEND _jmpco_install_only ${definition})
  endif()
endforeach()
target_compile_definitions(jmpco INTERFACE $<INSTALL_INTERFACE:${_jmpco_install_only}>)
unset(_jmpco_public_definitions)
unset(_jmpco_install_only)

install(TARGETS jmpco EXPORT jmpcoTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/jmpco DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(JMPCO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/jmpco)
install(EXPORT jmpcoTargets NAMESPACE jmpco:: DESTINATION ${JMPCO_CMAKE_DIR})
configure_package_config_file(cmake/jmpcoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/jmpcoConfig.cmake INSTALL_DESTINATION ${JMPCO_CMAKE_DIR})
# Compatibility: from 1.0 on any later release with the same major version. Before 1.0 a minor
# release may break the API, so 0.1.x satisfies find_package(jmpco 0.1) and (jmpco 0.1.0) only:
# not 0.0, 0.2 or 1.x.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_jmpco_compatibility SameMinorVersion)
else()
  set(_jmpco_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/jmpcoConfigVersion.cmake
  COMPATIBILITY ${_jmpco_compatibility})
unset(_jmpco_compatibility)
install(FILES ${PROJECT_BINARY_DIR}/jmpcoConfig.cmake ${PROJECT_BINARY_DIR}/jmpcoConfigVersion.cmake
  DESTINATION ${JMPCO_CMAKE_DIR})

# pkg-config: the same definitions as flags. A static library needs -pthread in the program's
# own link line; a shared one brings it along.
list(TRANSFORM JMPCO_INSTALLED_DEFINITIONS PREPEND "-D" OUTPUT_VARIABLE _jmpco_flags)
list(JOIN _jmpco_flags " " JMPCO_PC_CFLAGS)
if(JMPCO_SHARED)
  set(JMPCO_PC_LIBS "-L\${libdir} -ljmpco")
  set(JMPCO_PC_LIBS_PRIVATE "-pthread")
else()
  set(JMPCO_PC_LIBS "-L\${libdir} -ljmpco -pthread")
  set(JMPCO_PC_LIBS_PRIVATE "")
endif()
# Relocatable: the prefix is found from where jmpco.pc lies (cmake --install --prefix anywhere).
file(RELATIVE_PATH JMPCO_PC_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
string(REGEX REPLACE "/$" "" JMPCO_PC_PREFIX "${JMPCO_PC_PREFIX}")
set(JMPCO_PC_PREFIX "\${pcfiledir}/${JMPCO_PC_PREFIX}")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(JMPCO_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(JMPCO_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(cmake/jmpco.pc.in ${PROJECT_BINARY_DIR}/jmpco.pc @ONLY)
unset(_jmpco_flags)
install(FILES ${PROJECT_BINARY_DIR}/jmpco.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
