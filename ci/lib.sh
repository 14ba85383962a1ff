# shellcheck shell=bash
# Shared helpers for the scripts in ci/ and conformance/tools/. Sourced, never executed:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# usage: print the running script's header comment (the comment lines after the #! line, up to
# the first line that is not a comment; shellcheck directives left out) to stderr, and exit 2.
# The header is the script's documentation, so --help always shows all of it.
usage() {
  awk 'NR == 1 && /^#!/ { next }
       /^# shellcheck / { next }
       /^#/ { sub(/^# ?/, ""); print; next }
       { exit }' "${BASH_SOURCE[-1]}" >&2
  exit 2
}

# run COMMAND...: show the command, then run it; only show it when the caller set dry_run=1.
run() {
  printf '+ %s\n' "$*"
  [[ "${dry_run:-0}" -eq 1 ]] || "$@"
}
# SPDX-License-Identifier: MIT
