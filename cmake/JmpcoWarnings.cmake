# SPDX-License-Identifier: MIT
# The one warning set of every jmpco target, the library itself included.
option(JMPCO_WERROR "Make warnings errors in jmpco's own targets (the presets turn it on)" OFF)

# jmpco_warnings(target): the warning set `target` builds with, as errors under JMPCO_WERROR.
function(jmpco_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(JMPCO_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4)
    if(JMPCO_WERROR)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  endif()
endfunction()
