# SPDX-License-Identifier: MIT
# Script (cmake -P): builds one program and succeeds only if the build fails with a message
# matching EXPECT. Used by the tests of what a misuse or a mismatched configuration must say.
#   -D COMPILER=... -D FLAGS="..." -D SOURCE=... -D INCLUDE=... -D EXPECT=regex
#   -D LIBRARY=... -D OUTPUT=...   compile and link against LIBRARY (a link failure expected);
#                                  without LIBRARY the source is only compiled (-fsyntax-only)
#   -D LINK_FLAGS="..."            what the link adds after LIBRARY (default -pthread)
separate_arguments(flag_list UNIX_COMMAND "${FLAGS}")
if(NOT DEFINED LINK_FLAGS)
  set(LINK_FLAGS -pthread)
endif()
separate_arguments(link_flag_list UNIX_COMMAND "${LINK_FLAGS}")
if(LIBRARY)
  set(build_command "${COMPILER}" ${flag_list} -I "${INCLUDE}" "${SOURCE}" "${LIBRARY}" ${link_flag_list} -o "${OUTPUT}")
else()
  set(build_command "${COMPILER}" ${flag_list} -I "${INCLUDE}" -fsyntax-only "${SOURCE}")
endif()
execute_process(COMMAND ${build_command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} built; it must not:\n${out}")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "the build failed, but its message does not say \"${EXPECT}\":\n${out}")
endif()
string(REGEX MATCH "[^\n]*${EXPECT}[^\n]*" line "${out}")
message(STATUS "refused as it should be: ${line}")
