#!/usr/bin/env bash
# Shows that a model-checking fuzz target's divergence checks fire (scenario_fuzzer by default;
# scheduler_fuzzer with its own binaries and input): the build with a deliberately wrong model
# (jmpco_fuzz::kPlantedDivergence: for scenario_fuzzer the model's nesting-limit rule is off by one) must trap on a
# seed input that reaches the limit, while the normal build runs the same input clean.
#
# Usage: fuzz/check_divergence_detection.sh NORMAL_BINARY PLANTED_BINARY [INPUT]
#   defaults: build/fuzz/scenario_fuzzer build/fuzz/scenario_fuzzer_planted and
#   fuzz/corpus/scenario_fuzzer/limit-one-resume (the program "l0c000r0": nesting limit 1, then
#   one resume from the main context, which the planted model wrongly predicts to overflow).
# Exit status 0 when both behave as expected; prints one line per check.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "${here}")"
normal="${1:-${root}/build/fuzz/scenario_fuzzer}"
planted="${2:-${root}/build/fuzz/scenario_fuzzer_planted}"
input="${3:-${here}/corpus/scenario_fuzzer/limit-one-resume}"

for f in "${normal}" "${planted}" "${input}"; do
  if [[ ! -e "${f}" ]]; then
    printf 'check_divergence_detection: %s does not exist\n' "${f}" >&2
    exit 2
  fi
done

log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
status=0

# libFuzzer runs a file argument once; -runs=1 keeps it from fuzzing when given a directory.
if "${normal}" -runs=1 "${input}" >"${log}" 2>&1; then
  printf 'ok: the normal build runs %s clean\n' "$(basename "${input}")"
else
  printf 'FAIL: the normal build crashed on %s:\n' "$(basename "${input}")"
  tail -n 30 "${log}"
  status=1
fi

if "${planted}" -runs=1 "${input}" >"${log}" 2>&1; then
  printf 'FAIL: the planted build did not detect its wrong model on %s\n' "$(basename "${input}")"
  status=1
elif grep -aq 'DIVERGENCE from the model' "${log}"; then
  printf 'ok: the planted build traps: %s\n' "$(grep -a -m1 'DIVERGENCE from the model' "${log}" | sed 's/^=* *//')"
else
  printf 'FAIL: the planted build crashed without reporting a divergence:\n'
  tail -n 30 "${log}"
  status=1
fi
exit "${status}"
# SPDX-License-Identifier: MIT
