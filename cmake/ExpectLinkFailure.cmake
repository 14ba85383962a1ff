# SPDX-License-Identifier: MIT
# Script (cmake -P): compiles and links one program and succeeds only if the link fails with a
# message matching EXPECT. Used by the mismatched-configuration consumer test.
#   -D COMPILER=... -D FLAGS="..." (a ;-list) -D SOURCE=... -D LIBRARY=... -D INCLUDE=...
#   -D OUTPUT=... -D EXPECT=regex
separate_arguments(flag_list UNIX_COMMAND "${FLAGS}")
execute_process(
  COMMAND "${COMPILER}" ${flag_list} -I "${INCLUDE}" "${SOURCE}" "${LIBRARY}" -pthread -o "${OUTPUT}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(status EQUAL 0)
  message(FATAL_ERROR "the mismatched consumer linked; it must not:\n${out}")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "the link failed, but its message does not name the configuration (${EXPECT}):\n${out}")
endif()
string(REGEX MATCH "[^\n]*${EXPECT}[^\n]*" line "${out}")
message(STATUS "refused as it should be: ${line}")
