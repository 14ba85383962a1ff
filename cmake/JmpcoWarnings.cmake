# SPDX-License-Identifier: MIT
# jmpco_warnings(target): the warning set every jmpco-owned target builds with.
function(jmpco_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  endif()
endfunction()
