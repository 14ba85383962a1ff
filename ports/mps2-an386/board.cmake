# SPDX-License-Identifier: MIT
# Board support for programs on the MPS2 AN386 (Cortex-M4) under qemu-system-arm, included by the
# top-level CMakeLists.txt when JMPCO_BARE_METAL_PORT is mps2-an386 (the toolchain file
# cmake/toolchains/arm-none-eabi-cortex-m4.cmake sets it). A program links jmpco_board to get the
# vector table and reset handler, the linker script, and ports/common (the static arena).
add_library(jmpco_board OBJECT
  ${CMAKE_CURRENT_LIST_DIR}/startup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../common/static_arena.cpp)
target_include_directories(jmpco_board
  PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../common
  PRIVATE ${PROJECT_SOURCE_DIR}/include)
# The startup code is plain C++ with neither exceptions nor RTTI, whatever the program uses.
target_compile_options(jmpco_board PRIVATE -fno-exceptions -fno-rtti)
target_link_options(jmpco_board INTERFACE -nostartfiles -T${CMAKE_CURRENT_LIST_DIR}/mps2-an386.ld)
set_property(TARGET jmpco_board APPEND PROPERTY INTERFACE_LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/mps2-an386.ld)
