# shellcheck shell=bash
# Shared helpers for the conformance tools. Sourced, never executed.
#
# Layout (all relative to the conformance/ directory):
#   scenarios/NAME.lua   one scenario script
#   golden/NAME.stdout   exact stdout bytes of `lua5.4 NAME.lua` (cwd = scenarios/)
#   golden/NAME.result   "exit N" and, if stderr was non-empty, "error: MESSAGE"
# See conformance/README.md for the format.

CONFORMANCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# usage (the script's header comment) and run, shared with ci/.
# shellcheck source=ci/lib.sh
source "${CONFORMANCE_DIR}/../ci/lib.sh"
# shellcheck disable=SC2034 # used by the scripts that source this file
SCENARIO_DIR="${CONFORMANCE_DIR}/scenarios"
# shellcheck disable=SC2034
GOLDEN_DIR="${CONFORMANCE_DIR}/golden"
# Seconds a single scenario may run before it counts as hung.
SCENARIO_TIMEOUT="${CONFORMANCE_TIMEOUT:-20}"
# The goldens were produced by this release; others are used but flagged.
EXPECTED_LUA_VERSION="5.4.4"

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}

# Make sure lua5.4 is on PATH, installing it with apt-get when running as root.
ensure_lua() {
  if ! command -v lua5.4 >/dev/null 2>&1; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      printf 'lua5.4 not found; installing it with apt-get\n' >&2
      DEBIAN_FRONTEND=noninteractive apt-get update >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y lua5.4 >&2
    else
      die "lua5.4 is not installed (run as root to install it, or: apt-get install lua5.4)"
    fi
  fi
  command -v lua5.4 >/dev/null 2>&1 || die "lua5.4 still not available after installation"
  local version
  version="$(lua5.4 -v 2>&1 | head -n 1)"
  if [[ "${version}" != *"Lua ${EXPECTED_LUA_VERSION} "* ]]; then
    printf 'warning: goldens were produced by Lua %s; this machine has: %s\n' \
      "${EXPECTED_LUA_VERSION}" "${version}" >&2
  fi
}

# Print the scenario names (file names without .lua), sorted, one per line.
list_scenarios() {
  local dir="$1" f
  for f in "${dir}"/*.lua; do
    [[ -e "${f}" ]] || continue
    f="${f##*/}"
    printf '%s\n' "${f%.lua}"
  done | LC_ALL=C sort
}

# Print the names that have at least one golden file, sorted, one per line.
list_goldens() {
  local dir="$1" f
  for f in "${dir}"/*.stdout "${dir}"/*.result; do
    [[ -e "${f}" ]] || continue
    f="${f##*/}"
    printf '%s\n' "${f%.*}"
  done | LC_ALL=C sort -u
}

# extract_error PREFIX STDERR_FILE
# Print the error message an interpreter wrote on stderr, in golden form:
# the first line with "PREFIX: " removed, followed by the next lines up to
# (not including) a line "stack traceback:" or the end of the file.
# Backslashes are written as \\ and line breaks as \n (two characters each).
# Prints nothing when the file is empty.
extract_error() {
  # Bash alone, no awk: the suite runs this once per scenario, and a process start costs more
  # than the scenario on a small machine. Bytes, not characters (LC_ALL=C).
  local prefix="$1" file="$2" line out="" first=1 bs=$'\\' LC_ALL=C
  [[ -s "${file}" ]] || return 0
  while IFS= read -r line || [[ -n "${line}" ]]; do
    if ((first)); then
      first=0
      [[ "${line}" == "${prefix}: "* ]] && line="${line#"${prefix}: "}"
      out="${line//"${bs}"/"${bs}${bs}"}"
      continue
    fi
    [[ "${line}" == "stack traceback:" ]] && break
    out+="${bs}n${line//"${bs}"/"${bs}${bs}"}"
  done <"${file}"
  printf 'error: %s\n' "${out}"
}

# write_result STATUS STDERR_FILE PREFIX OUT_FILE
write_result() {
  local status="$1" errfile="$2" prefix="$3" out="$4"
  {
    printf 'exit %s\n' "${status}"
    extract_error "${prefix}" "${errfile}"
  } >"${out}"
}

# run_scenario PROGRAM PREFIX SCENARIO_DIR NAME OUT_DIR
# Run PROGRAM NAME.lua with cwd = SCENARIO_DIR under a timeout; write
# OUT_DIR/NAME.stdout, OUT_DIR/NAME.stderr and OUT_DIR/NAME.result (OUT_DIR and PROGRAM, if a
# path, are absolute). Leaves the raw exit status in SCENARIO_STATUS (124 = timed out, >128 =
# killed by a signal): no subshell, since the suite runs this once per scenario.
run_scenario() {
  local program="$1" prefix="$2" sdir="$3" name="$4" odir="$5" status=0 here="${PWD}"
  cd "${sdir}" || return
  # SCENARIO_LAUNCHER (e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu" for a cross build) is
  # split into words on purpose.
  # shellcheck disable=SC2086
  timeout --kill-after=5 "${SCENARIO_TIMEOUT}" ${SCENARIO_LAUNCHER:-} "${program}" "${name}.lua" \
    </dev/null >"${odir}/${name}.stdout" 2>"${odir}/${name}.stderr" || status=$?
  cd "${here}" || return
  write_result "${status}" "${odir}/${name}.stderr" "${prefix}" "${odir}/${name}.result"
  SCENARIO_STATUS="${status}"
}

# Produce the golden files of one scenario with lua5.4 into OUT_DIR.
make_golden() {
  local sdir="$1" name="$2" odir="$3" status
  # Invoked as plain "lua5.4" so that lua.c prefixes its messages with "lua5.4: ".
  SCENARIO_LAUNCHER='' run_scenario lua5.4 lua5.4 "${sdir}" "${name}" "${odir}"
  status="${SCENARIO_STATUS}"
  rm -f "${odir}/${name}.stderr"
  if [[ "${status}" -eq 124 || "${status}" -gt 128 ]]; then
    printf 'warning: lua5.4 %s.lua ended with status %s (timeout or signal)\n' "${name}" "${status}" >&2
  fi
}
# SPDX-License-Identifier: MIT
