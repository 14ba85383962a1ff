# SPDX-License-Identifier: MIT
# Toolchain: bare-metal Arm Cortex-M4 (arm-none-eabi, newlib, no OS, no threads), for the
# mps2-an386 board that qemu-system-arm emulates; programs run there with semihosting.
#
# Packages (Debian 12): gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
# qemu-system-arm (`ci/install-deps --bare-metal`).
#
# The board's startup code, linker script and the launcher that ctest uses are in
# ports/mps2-an386/ (JMPCO_BARE_METAL_PORT); the tests run through tests/bare_metal (GoogleTest's
# macros over the same test files, since GoogleTest itself does not run there). Floating point is
# soft (-mfloat-abi=soft): the startup code then needs not enable the FPU.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_AR arm-none-eabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-none-eabi-ranlib CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")

# The CPU flags as options rather than in CMAKE_CXX_FLAGS, which a preset may set (the noexcept
# one does): compiled without them the code would be for the default armv4t, whose atomics link
# to nothing. At link time they pick newlib's multilib. Sections per function so that the linker
# drops what a program does not use; semihosting (newlib's librdimon) for output and exit status.
set(JMPCO_BARE_METAL_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=soft)
add_compile_options(${JMPCO_BARE_METAL_CPU_FLAGS} -ffunction-sections -fdata-sections)
add_link_options(${JMPCO_BARE_METAL_CPU_FLAGS} --specs=rdimon.specs -Wl,--gc-sections)

# Test programs of try_compile() cannot run without the board's startup code: build libraries.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(JMPCO_BARE_METAL_PORT "mps2-an386" CACHE STRING "Board support under ports/ for the test programs")

find_program(JMPCO_QEMU_SYSTEM_ARM NAMES qemu-system-arm)
if(NOT JMPCO_QEMU_SYSTEM_ARM)
  message(FATAL_ERROR "qemu-system-arm not found: apt-get install qemu-system-arm (or run ci/install-deps --bare-metal)")
endif()
# The launcher turns the program's semihosting exit into qemu's exit status and stops a hang.
get_filename_component(_jmpco_source_dir "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${_jmpco_source_dir}/ports/mps2-an386/run-on-qemu")
unset(_jmpco_source_dir)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JMPCO_BARE_METAL_PORT)
